import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

/**
 * A client-only ECharts chart, lazy-loaded (a separate chunk imported after hydration), resized with its
 * box so it stays readable on a phone. The server renders an empty box of the same height; the
 * figures themselves are always in the tables next to the chart.
 */
export function Chart({ option, height = 280, label, onClick }: { option: EChartsCoreOption; height?: number; label: string; onClick?: (dataIndex: number) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<{ setOption: (o: EChartsCoreOption, replace?: boolean) => void; resize: () => void; dispose: () => void } | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import('./echarts.client').then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
      chart.current = c;
      c.setOption(option);
      c.on('click', (p: { dataIndex?: number }) => {
        if (typeof p.dataIndex === 'number') click.current?.(p.dataIndex);
      });
      observer = new ResizeObserver(() => c.resize());
      observer.observe(ref.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return (
    <div role="img" aria-label={label} data-chart-ready={ready ? 'true' : 'false'} className="w-full" style={{ height }}>
      <div ref={ref} className="h-full w-full" />
    </div>
  );
}
