import { notFound } from '~/modules/http/http.server';

// Any unknown path: a 404 inside the normal layout (root ErrorBoundary).
export function loader() {
  notFound();
}

export default function NotFound() {
  return null;
}
