import type { MetaDescriptor } from '@remix-run/node';

export function absoluteUrl(request: Request, path: string) {
  const base = process.env.PUBLIC_URL ?? new URL(request.url).origin;
  return new URL(path, base).toString();
}

/** Title, description, canonical link and Open Graph tags for a page. */
export function pageMeta({ title, description, canonical }: { title: string; description?: string; canonical?: string }): MetaDescriptor[] {
  const tags: MetaDescriptor[] = [{ title: `${title} · 山海集` }, { property: 'og:title', content: title }];
  if (description) tags.push({ name: 'description', content: description }, { property: 'og:description', content: description });
  if (canonical) tags.push({ tagName: 'link', rel: 'canonical', href: canonical }, { property: 'og:url', content: canonical });
  return tags;
}
