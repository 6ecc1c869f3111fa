// The app's <Link>. A link to an absolute path of this site ("/products/…") is a plain anchor whose
// plain left click navigates client-side (the router's navigate): on the server it costs an element,
// where Remix's Link resolved its path against the route matches three times per link (~10 % of a
// product page's server CPU for its 16 links; ADR 0013). replace, state and preventScrollReset are
// passed to navigate as the router's Link passes them. Relative paths, prefetching, reloadDocument,
// relative="path" and view transitions go to Remix's Link, unchanged.
import { Link as RemixLink, useLocation, useNavigate, type LinkProps } from '@remix-run/react';
import { forwardRef, type MouseEvent } from 'react';

export type { LinkProps };

function isPlainPath(props: LinkProps): props is LinkProps & { to: string } {
  const { to } = props;
  return (
    typeof to === 'string' && to.startsWith('/') && !to.startsWith('//') && !props.reloadDocument && !props.relative
    && (props.prefetch ?? 'none') === 'none' && !props.viewTransition
  );
}

/** A click the browser should handle itself: modified, not the main button, another target, a download. */
function browserHandles(event: MouseEvent<HTMLAnchorElement>, target: string | undefined, download: unknown) {
  return event.defaultPrevented || event.button !== 0 || (target !== undefined && target !== '_self') || download !== undefined
    || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey;
}

export const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link(props, ref) {
  const navigate = useNavigate();
  const location = useLocation();
  if (!isPlainPath(props)) return <RemixLink ref={ref} {...props} />;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { to, prefetch, discover, onClick, replace, state, preventScrollReset, ...anchor } = props;
  return (
    <a
      ref={ref}
      href={to}
      {...anchor}
      onClick={(event) => {
        onClick?.(event);
        if (browserHandles(event, anchor.target, anchor.download)) return;
        event.preventDefault();
        // like the router's Link: a link to the page you are on replaces the history entry
        navigate(to, { replace: replace ?? to === location.pathname + location.search + location.hash, state, preventScrollReset });
      }}
    />
  );
});
