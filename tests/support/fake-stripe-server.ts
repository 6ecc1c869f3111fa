// Run the fake Stripe as a process, for browser tests of the whole payment flow:
//   STRIPE_SECRET_KEY=sk_test_e2e STRIPE_WEBHOOK_SECRET=whsec_e2e \
//   node_modules/.bin/tsx tests/support/fake-stripe-server.ts --port 12111 --webhook http://127.0.0.1:3300/webhooks/stripe
// and start the app with the same two secrets and STRIPE_API_BASE=http://127.0.0.1:12111.
// Checkout Sessions redirect to http://127.0.0.1:12111/c/pay/<id>, a page with one button per method.
import { startFakeStripe } from './fake-stripe';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const port = Number(arg('port') ?? 12111);
const fake = await startFakeStripe({
  port,
  webhookUrl: arg('webhook'),
  secretKey: process.env.STRIPE_SECRET_KEY ?? 'sk_test_e2e',
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_e2e',
});
console.log(`fake Stripe on ${fake.url}${fake.webhookUrl ? `, webhooks to ${fake.webhookUrl}` : ''}`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
