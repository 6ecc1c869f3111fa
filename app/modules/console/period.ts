// Reporting periods: a calendar year (?year=2021) or any range of China-time days (?from=&to=).
export type Period = { from: string; to: string; year: number | null };

const ISO = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: string) {
  if (!ISO.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const yearPeriod = (year: number): Period => ({ from: `${year}-01-01`, to: `${year}-12-31`, year });

/**
 * From query parameters: `year`, or `from` and `to` (both, inclusive), else the default year.
 * Returns an error message for anything malformed (the route answers 400).
 */
export function parsePeriod(params: URLSearchParams, defaultYear: number): Period | { error: string } {
  const year = params.get('year');
  const from = params.get('from');
  const to = params.get('to');
  if (year && (from || to)) return { error: 'give either year or from/to, not both' };
  if (year) {
    if (!/^\d{4}$/.test(year) || Number(year) < 2000 || Number(year) > 2100) return { error: 'year must be between 2000 and 2100' };
    return yearPeriod(Number(year));
  }
  if (from || to) {
    if (!from || !to) return { error: 'from and to go together' };
    if (!isIsoDate(from) || !isIsoDate(to)) return { error: 'from and to must be dates (YYYY-MM-DD)' };
    if (from > to) return { error: 'from must not be after to' };
    if (from < '2000-01-01' || to > '2100-12-31') return { error: 'dates must be between 2000 and 2100' };
    const y = Number(from.slice(0, 4));
    return { from, to, year: from === `${y}-01-01` && to === `${y}-12-31` ? y : null };
  }
  return yearPeriod(defaultYear);
}

/** The same dates one year earlier (29 February → 28 February). */
export function shiftYear(date: string, years = -1) {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  if (md === '02-29') return `${y}-02-28`;
  return `${y}-${md}`;
}

export function previousPeriod(p: Period): Period {
  return { from: shiftYear(p.from), to: p.to.slice(5) === '02-28' && isLeap(Number(p.to.slice(0, 4)) - 1) ? `${Number(p.to.slice(0, 4)) - 1}-02-29` : shiftYear(p.to), year: p.year ? p.year - 1 : null };
}

export function isLeap(y: number) {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Query string for a period (year when it is one). */
export function periodQuery(p: Period) {
  return p.year ? `year=${p.year}` : `from=${p.from}&to=${p.to}`;
}

export function monthRange(month: string): Period {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}`, year: null };
}
