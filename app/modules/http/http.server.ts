import { json } from '@remix-run/node';
import { z } from 'zod';

export function notFound(message = 'Not found'): never {
  throw new Response(message, { status: 404, statusText: 'Not Found' });
}

export function forbidden(message = '没有权限 / Forbidden'): never {
  throw new Response(message, { status: 403, statusText: 'Forbidden' });
}

export function badRequest(message: string): never {
  throw new Response(message, { status: 400, statusText: 'Bad Request' });
}

export function jsonError(status: number, message: string, details?: unknown) {
  return json({ error: { status, message, details } }, { status });
}

const pageParams = z.object({
  page: z.coerce.number({ message: 'page must be a number' }).int('page must be a whole number').min(1, 'page must be at least 1').max(10_000, 'page is too large').default(1),
});

/** ?page= parsed strictly; anything else → 400 with a message. */
export function parsePage(url: URL, perPage = 24) {
  const raw = url.searchParams.get('page');
  const parsed = pageParams.safeParse({ page: raw === null || raw === '' ? undefined : raw });
  if (!parsed.success) badRequest(parsed.error.issues[0]!.message);
  const page = parsed.data.page;
  return { page, perPage, take: perPage, skip: (page - 1) * perPage };
}

/** Parse query parameters against a schema, rejecting unknown ones: 400 with a message on any problem. */
export function parseQuery<T extends z.ZodRawShape>(url: URL, shape: T) {
  const known = new Set(Object.keys(shape));
  const unknown = [...url.searchParams.keys()].filter((k) => !known.has(k));
  if (unknown.length) return { ok: false as const, message: `Unknown parameter: ${unknown.join(', ')}` };
  const obj = Object.fromEntries([...url.searchParams.entries()].filter(([, v]) => v !== ''));
  const result = z.object(shape).strict().safeParse(obj);
  if (!result.success) {
    const i = result.error.issues[0]!;
    return { ok: false as const, message: `${i.path.join('.') || 'query'}: ${i.message}` };
  }
  return { ok: true as const, data: result.data };
}

/**
 * The form body of a request, or a 400 when it is not a form at all (JSON, broken multipart, a wrong
 * content type). Every action reads its form through this, never `request.formData()` directly.
 */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    badRequest('请求内容不是有效的表单 / The request body is not a valid form submission');
  }
}
