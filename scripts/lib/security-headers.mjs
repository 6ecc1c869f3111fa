// Security headers for every response, with a fresh CSP nonce per request (Remix's inline hydration
// scripts carry it; nothing else inline may run).
import crypto from 'node:crypto';

/** @param {{ production: boolean }} options */
export function securityHeaders({ production }) {
  return (req, res, next) => {
    const nonce = crypto.randomBytes(18).toString('base64');
    res.locals.cspNonce = nonce;
    const csp = [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
      "style-src 'self' 'unsafe-inline'", // style attributes rendered on the server (charts, progress bars)
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self'${production ? '' : ' ws: wss:'}`,
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
      "form-action 'self' https://checkout.stripe.com",
    ];
    if (production) csp.push('upgrade-insecure-requests');
    res.setHeader('Content-Security-Policy', csp.join('; '));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(self)');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (production) res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains; preload');
    next();
  };
}
