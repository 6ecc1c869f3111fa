// Calling route loaders and actions the way Remix does in tests: an urlencoded POST body, and a thrown
// Response (redirect, 4xx from a guard) returned instead of thrown.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { requestAs } from './actors';

export const urlencodedPost = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

export async function callRoute(fn: () => Promise<unknown>): Promise<Response> {
  return (await settle(fn)) as Response;
}

/** What the call returned, or the Response it threw (any other error is thrown on). */
async function settle(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

export type RouteFn = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;

/**
 * Runs a loader or action as the user with this email (null: anonymous), GET without a body, POST with an
 * urlencoded (object) or multipart (FormData) body. Returns the data or Response it returned or threw.
 */
export async function runRouteAs(fn: RouteFn, email: string | null, url: string, params: Record<string, string>, body?: Record<string, string> | FormData) {
  const init: RequestInit = body instanceof FormData ? { method: 'POST', body } : body ? urlencodedPost(body) : {};
  const request = await requestAs(email, url, init);
  return settle(() => fn({ request, params, context: {} }));
}
