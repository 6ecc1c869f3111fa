// The header search box: a plain GET form to /search (works without JavaScript), with suggestions as
// you type fetched from /api/v1/search/suggest once the page is interactive.
import { Form, useFetcher, useSearchParams } from '@remix-run/react';
import { Link } from '~/components/link';
import { useEffect, useId, useRef, useState } from 'react';
import { useLocale, useTr } from '~/modules/i18n/i18n';

type Suggestion = { kind: 'product' | 'place' | 'category'; labelZh: string; labelEn: string; href: string };

export function SearchBox() {
  const tr = useTr();
  const locale = useLocale();
  const [params] = useSearchParams();
  const fetcher = useFetcher<{ q: string; suggestions: Suggestion[] }>();
  const [value, setValue] = useState(params.get('q') ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const listId = useId();
  useEffect(() => setValue(params.get('q') ?? ''), [params]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const suggestions = value.trim() && fetcher.data?.q === value.trim() ? fetcher.data.suggestions : [];

  function onChange(v: string) {
    setValue(v);
    setOpen(true);
    setActive(-1);
    clearTimeout(timer.current);
    if (v.trim()) timer.current = setTimeout(() => fetcher.load(`/api/v1/search/suggest?q=${encodeURIComponent(v.trim())}`), 120);
  }

  return (
    <Form method="get" action="/search" role="search" className="relative order-2 w-full sm:order-none sm:w-64" onSubmit={() => setOpen(false)}>
      <label htmlFor={`${listId}-q`} className="sr-only">{tr('搜索商品', 'Search goods')}</label>
      <input
        id={`${listId}-q`}
        name="q"
        type="search"
        value={value}
        maxLength={100}
        autoComplete="off"
        placeholder={tr('搜索刺梨、鸡蛋、产地…', 'Search goods, places…')}
        className="w-full rounded border border-gray-300 px-3 py-1.5 text-sm"
        role="combobox"
        aria-expanded={open && suggestions.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (!suggestions.length) return;
          if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => (a + 1) % suggestions.length); }
          else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => (a <= 0 ? suggestions.length - 1 : a - 1)); }
          else if (e.key === 'Escape') setOpen(false);
          else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); window.location.assign(suggestions[active]!.href); }
        }}
      />
      {open && suggestions.length ? (
        <ul id={listId} role="listbox" aria-label={tr('搜索建议', 'Suggestions')} className="absolute z-20 mt-1 w-full overflow-hidden rounded border border-gray-200 bg-white text-sm shadow-lg" data-testid="search-suggestions">
          {suggestions.map((s, i) => (
            <li key={s.href} id={`${listId}-${i}`} role="option" aria-selected={i === active}>
              <Link to={s.href} className={`flex justify-between gap-2 px-3 py-1.5 hover:bg-brand-50 ${i === active ? 'bg-brand-50' : ''}`} onClick={() => setOpen(false)}>
                <span className="truncate">{locale === 'en' ? s.labelEn : s.labelZh}</span>
                <span className="shrink-0 text-xs text-gray-400">{s.kind === 'product' ? tr('商品', 'goods') : s.kind === 'place' ? tr('产地', 'place') : tr('品类', 'category')}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </Form>
  );
}
