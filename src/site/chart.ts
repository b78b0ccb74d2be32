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
  /** Values are milliseconds: ticks fall on round durations (500 ms, 30 s, 5 min) instead of round numbers. */
  duration?: boolean;
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

const durationSteps = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
  21_600_000, 43_200_000, 86_400_000,
];

/** Ticks from 0 ms to at least max ms on round durations, about `count` of them. */
export function durationTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0];
  const step = durationSteps.find((s) => s * count >= max) ?? Math.ceil(max / count / 86_400_000) * 86_400_000;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}

const round = (n: number) => Math.round(n * 10) / 10;

const DAY = 86_400_000;

/** A time label as precise as the span needs: months over years, days over weeks, times within a day or two. */
export function timeLabel(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  if (span >= 2 * 365 * DAY) return iso.slice(0, 7);
  if (span >= 4 * DAY) return iso.slice(0, 10);
  if (span >= 10 * 60_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 19);
}

/** "2026-01-01 10:00:05 UTC": a point's own time, to the second. */
const pointTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

export function lineChart(input: ChartSeries[], options: ChartOptions = {}): ChartGeometry {
  // About the width a chart is drawn at beside another on a laptop (the dashboard), so 12 px labels stay near 12 px.
  const width = options.width ?? 560;
  const height = options.height ?? 220;
  const format = options.formatValue ?? ((v: number) => v.toLocaleString('en-US'));
  // Room on the right for half of the last time label (it is centred on its tick), so no label is cut off.
  const plot = { left: 64, right: width - 40, top: 12, bottom: height - 28 };
  const all = input.flatMap((s) => s.points);
  if (all.length === 0) return { width, height, series: [], xTicks: [], yTicks: [], plot, empty: true };

  const times = all.map((p) => Date.parse(p.at));
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (t0 === t1) {
    // One instant: centre it in an hour, so the axis still reads as times of that day.
    t0 -= 1_800_000;
    t1 += 1_800_000;
  }
  const yTicksValues = (options.duration ? durationTicks : niceTicks)(Math.max(...all.map((p) => p.value)));
  const yMax = yTicksValues.at(-1) || 1;
  const x = (iso: string) => round(plot.left + ((Date.parse(iso) - t0) / (t1 - t0)) * (plot.right - plot.left));
  const y = (v: number) => round(plot.bottom - (v / yMax) * (plot.bottom - plot.top));

  const series = input.map((s, index) => {
    const sorted = [...s.points].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const drawn = thin(sorted, options.maxPoints ?? 400);
    const path = drawn.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at)} ${y(p.value)}`).join('');
    const marks = thin(sorted, options.maxMarks ?? 60).map((p) => ({ x: x(p.at), y: y(p.value), title: `${pointTime(p.at)}: ${format(p.value)}`, id: p.id }));
    return { label: s.label, index, path, marks };
  });

  const xTicks = Array.from({ length: 5 }, (_, i) => {
    const t = t0 + ((t1 - t0) * i) / 4;
    return { x: round(plot.left + ((t - t0) / (t1 - t0)) * (plot.right - plot.left)), label: timeLabel(t, t1 - t0) };
  });
  const yTicks = yTicksValues.map((v) => ({ y: y(v), label: format(v) }));
  return { width, height, series, xTicks, yTicks, plot, empty: false };
}
