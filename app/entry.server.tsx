import { Writable } from 'node:stream';
import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { renderToPipeableStream } from 'react-dom/server';
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

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = typeof loadContext?.cspNonce === 'string' ? loadContext.cspNonce : '';
  if (databaseUnavailable(remixContext)) {
    // The database is restarting or unreachable: say so (503 + Retry-After), not a generic 500.
    responseStatusCode = 503;
    responseHeaders.set('Retry-After', '5');
  }
  // The whole document is rendered before it is sent: loaders have finished by now and no route
  // streams (no defer/Suspense), so the shell is the page. Collecting it into one body instead of
  // piping React's 2 KB chunks through a PassThrough and a web stream into Express saves ~7 % of a
  // product page's server CPU (ADR 0013); bots and browsers get the same complete document.
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        clearTimeout(timer);
        responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(sink);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // before the shell, onShellError rejects and Remix reports it (handleError)
          if (shellRendered) console.error(error);
        },
      },
    );
    const timer = setTimeout(abort, ABORT_DELAY);
  });
}

function databaseUnavailable(context: EntryContext) {
  const errors = context.staticHandlerContext.errors;
  return Boolean(errors && Object.values(errors).some((e) => isDatabaseUnavailable(e) || (e as { status?: number } | null)?.status === 503));
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error('[remix]', error);
}
