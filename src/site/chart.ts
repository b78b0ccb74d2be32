// Build-time SVG chart geometry: time on x, a number on y, a few series; the page draws what this returns.

export interface ChartPoint {
  /** ISO time. */
  at: string;
  value: number;
  /** Optional link target (a record id) for the point. */
  id?: string;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
}

export interface ChartGeometry {
  width: number;
  height: number;
  series: Array<{ label: string; index: number; path: string; marks: Array<{ x: number; y: number; title: string; id?: string | undefined }> }>;
  xTicks: Array<{ x: number; label: string }>;
  yTicks: Array<{ y: number; label: string }>;
  plot: { left: number; right: number; top: number; bottom: number };
  empty: boolean;
}

export interface ChartOptions {
  width?: number;
  height?: number;
  /** Points drawn per series at most; longer series are thinned evenly (first and last kept). */
  maxPoints?: number;
  /** Points given a hover mark and link at most per series. */
  maxMarks?: number;
  formatValue?: (value: number) => string;
}

/** Evenly thins a series to at most `max` points, always keeping the first and the last. */
export function thin<T>(items: T[], max: number): T[] {
  if (items.length <= max || max < 2) return items;
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]!);
}

/** 1, 2, 5 × 10^n steps giving about `count` ticks from 0 to at least max. */
export function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function lineChart(input: ChartSeries[], options: ChartOptions = {}): ChartGeometry {
  const width = options.width ?? 720;
  const height = options.height ?? 220;
  const format = options.formatValue ?? ((v: number) => v.toLocaleString('en-US'));
  const plot = { left: 64, right: width - 12, top: 12, bottom: height - 28 };
  const all = input.flatMap((s) => s.points);
  if (all.length === 0) return { width, height, series: [], xTicks: [], yTicks: [], plot, empty: true };

  const times = all.map((p) => Date.parse(p.at));
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (t0 === t1) {
    t0 -= 86_400_000;
    t1 += 86_400_000;
  }
  const yTicksValues = niceTicks(Math.max(...all.map((p) => p.value)));
  const yMax = yTicksValues.at(-1) || 1;
  const x = (iso: string) => round(plot.left + ((Date.parse(iso) - t0) / (t1 - t0)) * (plot.right - plot.left));
  const y = (v: number) => round(plot.bottom - (v / yMax) * (plot.bottom - plot.top));

  const series = input.map((s, index) => {
    const sorted = [...s.points].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const drawn = thin(sorted, options.maxPoints ?? 400);
    const path = drawn.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)} ${y(p.value)}`).join('');
    const marks = thin(sorted, options.maxMarks ?? 60).map((p) => ({ x: x(p.at), y: y(p.value), title: `${p.at.slice(0, 10)}: ${format(p.value)}`, id: p.id }));
    return { label: s.label, index, path, marks };
  });

  const years = new Date(t1).getUTCFullYear() - new Date(t0).getUTCFullYear();
  const xTicks = Array.from({ length: 5 }, (_, i) => {
    const t = t0 + ((t1 - t0) * i) / 4;
    const iso = new Date(t).toISOString();
    return { x: round(plot.left + ((t - t0) / (t1 - t0)) * (plot.right - plot.left)), label: years >= 2 ? iso.slice(0, 7) : iso.slice(0, 10) };
  });
  const yTicks = yTicksValues.map((v) => ({ y: y(v), label: format(v) }));
  return { width, height, series, xTicks, yTicks, plot, empty: false };
}
