import type { HeadersFunction } from '@remix-run/node';

/**
 * `export const headers = retryAfterHeaders` in a page route whose action answers 429: Remix renders the
 * page for a form POST and drops the action's headers unless the route passes them on.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, errorHeaders }) => {
  const h = new Headers();
  const retry = actionHeaders.get('Retry-After') ?? errorHeaders?.get('Retry-After');
  if (retry) h.set('Retry-After', retry);
  return h;
};
