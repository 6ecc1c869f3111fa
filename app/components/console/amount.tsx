import { Link } from '~/components/link';
import { useState } from 'react';
import { formatFen, formatOfficialTotal } from '~/modules/money/money';
import { useTr } from '~/modules/i18n/i18n';

/**
 * A total written the way officials write it (1.83亿元), the exact ¥ amount on hover (abbr title) and
 * on tap (the ¥ button shows it). With `to`, the figure links to the entries behind it.
 */
export function Amount({ fen, to, className = '', testId }: { fen: number; to?: string; className?: string; testId?: string }) {
  const tr = useTr();
  const [open, setOpen] = useState(false);
  const exact = formatFen(fen);
  const figure = <abbr title={exact} className="no-underline" data-fen={fen}>{formatOfficialTotal(fen)}</abbr>;
  return (
    <span className={`inline-flex flex-wrap items-baseline gap-1 ${className}`} data-testid={testId}>
      {to ? <Link to={to} className="hover:underline" aria-label={`${formatOfficialTotal(fen)} (${exact}) ${tr('查看明细', 'see the entries')}`}>{figure}</Link> : figure}
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} className="rounded px-1 text-xs text-gray-400 hover:text-brand-600" title={tr('显示精确金额', 'Show the exact amount')}>
        ¥<span className="sr-only">{tr('显示精确金额', 'Show the exact amount')}</span>
      </button>
      {open ? <span className="text-xs font-normal text-gray-600">{exact}</span> : null}
    </span>
  );
}
