// Calling route loaders and actions the way Remix does in tests: an urlencoded POST body, and a thrown
// Response (redirect, 4xx from a guard) returned instead of thrown.

export const urlencodedPost = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

export async function callRoute(fn: () => Promise<unknown>): Promise<Response> {
  try {
    return (await fn()) as Response;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}
