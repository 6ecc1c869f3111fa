import { PassThrough } from 'node:stream';
import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
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
  const bot = isbot(request.headers.get('user-agent') ?? '');
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </NonceProvider>,
      {
      nonce,
      [bot ? 'onAllReady' : 'onShellReady']() {
        shellRendered = true;
        const body = new PassThrough();
        responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
        resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY);
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
