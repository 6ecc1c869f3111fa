import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { renderToString } from 'react-dom/server';
import { isDatabaseUnavailable } from '~/modules/db/db.server';
import { env } from '~/modules/env/env.server';
import { NonceProvider } from '~/modules/security/nonce';
import { startJobs } from '~/modules/jobs/jobs.server';
import { startSearch } from '~/modules/search/search.server';

// Validate the environment when the server bundle loads: a bad value stops the server with its name.
env();
// Periodic jobs (certificate expiry, reservation expiry, allowance expiry, rate-limit cleanup, …): every instance polls, each period runs once.
if (env().NODE_ENV !== 'test') startJobs();
// Catalogue search of this process: the embedded index is rebuilt from the database, then follows the
// outbox; with Meilisearch configured, the outbox delivery worker runs here too (claims are shared).
if (env().NODE_ENV !== 'test') startSearch();

const ABORT_DELAY = 5_000;
/** Where scripts/lib/remix-handler.mjs finds the rendered bytes (a global symbol: the server is another module graph). */
const DOCUMENT_BODY = Symbol.for('shanhai.documentBody');

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = typeof loadContext?.cspNonce === 'string' ? loadContext.cspNonce : '';
  if (databaseUnavailable(remixContext)) {
    // The database is restarting or unreachable: say so (503 + Retry-After), not a generic 500.
    responseStatusCode = 503;
    responseHeaders.set('Retry-After', '5');
  }
  // The whole document is rendered at once and sent as one body: loaders have finished by now and no
  // route streams (no defer/Suspense), so the shell is the page. renderToString runs to the end in this
  // turn of the event loop (renderToPipeableStream schedules its work with setImmediate), and the
  // server sends DOCUMENT_BODY with one write instead of reading the Response's web stream back
  // (scripts/lib/remix-handler.mjs, ADR 0013). Bots and browsers get the same complete document.
  // (renderToString, unlike the streaming renderer, writes no doctype: without it browsers use quirks mode)
  const html = Buffer.from(
    '<!DOCTYPE html>' +
    renderToString(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </NonceProvider>,
    ),
  );
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
  const response = new Response(html, { headers: responseHeaders, status: responseStatusCode });
  Object.defineProperty(response, DOCUMENT_BODY, { value: html });
  return response;
}

function databaseUnavailable(context: EntryContext) {
  const errors = context.staticHandlerContext.errors;
  return Boolean(errors && Object.values(errors).some((e) => isDatabaseUnavailable(e) || (e as { status?: number } | null)?.status === 503));
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error('[remix]', error);
}
