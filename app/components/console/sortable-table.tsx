import { useMemo, useState, type ReactNode } from 'react';

export type Column<T> = { key: string; label: string; sort?: (row: T) => number | string; render: (row: T) => ReactNode; numeric?: boolean };

/** A table whose column headers sort it (aria-sort tells assistive technology the order). */
export function SortableTable<T>({ rows, columns, caption, initial, rowKey, foot }: {
  rows: T[]; columns: Column<T>[]; caption: string; initial?: { key: string; dir: 'asc' | 'desc' }; rowKey: (row: T) => string; foot?: ReactNode;
}) {
  const [order, setOrder] = useState(initial ?? null);
  const sorted = useMemo(() => {
    if (!order) return rows;
    const col = columns.find((c) => c.key === order.key);
    if (!col?.sort) return rows;
    const f = col.sort;
    return [...rows].sort((a, b) => {
      const x = f(a);
      const y = f(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
      return order.dir === 'asc' ? c : -c;
    });
  }, [rows, columns, order]);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b text-left text-gray-500">
            {columns.map((c) => {
              const active = order?.key === c.key;
              return (
                <th key={c.key} scope="col" aria-sort={active ? (order!.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={`py-2 pr-3 font-medium ${c.numeric ? 'text-right' : ''}`}>
                  {c.sort ? (
                    <button type="button" className="inline-flex items-center gap-1 hover:text-brand-700" onClick={() => setOrder({ key: c.key, dir: active && order!.dir === 'desc' ? 'asc' : 'desc' })}>
                      {c.label}<span aria-hidden="true">{active ? (order!.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
                    </button>
                  ) : c.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={rowKey(r)} className="border-b border-gray-100">
              {columns.map((c) => <td key={c.key} className={`py-2 pr-3 ${c.numeric ? 'text-right tabular-nums' : ''}`}>{c.render(r)}</td>)}
            </tr>
          ))}
        </tbody>
        {foot ? <tfoot>{foot}</tfoot> : null}
      </table>
    </div>
  );
}
