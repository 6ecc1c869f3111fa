import type { ReactNode } from 'react';
import { useTr } from '~/modules/i18n/i18n';

const productStatus = {
  DRAFT: ['草稿', 'Draft', 'bg-gray-100 text-gray-700'],
  IN_REVIEW: ['审核中', 'In review', 'bg-amber-100 text-amber-800'],
  LISTED: ['已上架', 'Listed', 'bg-brand-100 text-brand-700'],
  DELISTED: ['已下架', 'Delisted', 'bg-gray-200 text-gray-700'],
} as const;

export function ProductStatusBadge({ status }: { status: keyof typeof productStatus }) {
  const tr = useTr();
  const [zh, en, cls] = productStatus[status];
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs ${cls}`} data-testid="status">{tr(zh, en)}</span>;
}

const certificateStatus = {
  PENDING: ['待审核', 'Pending', 'bg-amber-100 text-amber-800'],
  APPROVED: ['已通过', 'Approved', 'bg-brand-100 text-brand-700'],
  REJECTED: ['未通过', 'Rejected', 'bg-red-100 text-red-700'],
  SUPERSEDED: ['已替换', 'Superseded', 'bg-gray-100 text-gray-600'],
} as const;

export function CertificateStatusBadge({ status }: { status: keyof typeof certificateStatus }) {
  const tr = useTr();
  const [zh, en, cls] = certificateStatus[status];
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs ${cls}`}>{tr(zh, en)}</span>;
}

/** A short success or error message after a form post. */
export function Notice({ tone = 'ok', children }: { tone?: 'ok' | 'error'; children: ReactNode }) {
  return (
    <p role={tone === 'error' ? 'alert' : 'status'} className={`rounded p-2 text-sm ${tone === 'error' ? 'bg-red-50 text-red-700' : 'bg-brand-50 text-brand-700'}`}>
      {children}
    </p>
  );
}

export const buttonClass = 'inline-flex min-h-11 items-center justify-center rounded bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60';
export const secondaryButtonClass = 'inline-flex min-h-11 items-center justify-center rounded border border-gray-300 bg-white px-4 py-2 text-gray-800 hover:bg-gray-50 disabled:opacity-60';
export const dangerButtonClass = 'inline-flex min-h-11 items-center justify-center rounded border border-red-300 bg-white px-4 py-2 text-red-700 hover:bg-red-50 disabled:opacity-60';
export const cardClass = 'rounded-lg bg-white p-4 shadow-sm';
