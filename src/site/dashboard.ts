// The home page's numbers: latest run per environment, success rates, duration and downtime series, recent trouble.
import type { RecordSummary } from './record-summary.ts';
import type { ChartSeries } from './chart.ts';
import type { LintCounts } from './findings-view.ts';
import { historyRow, type HistoryRow } from './history.ts';

export interface EnvironmentSummary {
  environment: string;
  latest: HistoryRow;
  runs: number;
  succeeded: number;
  /** Share of runs that ended success (0..1). */
  successRate: number;
}

export interface Dashboard {
  total: number;
  succeeded: number;
  successRate: number;
  environments: EnvironmentSummary[];
  /** Milliseconds, so sub-second runs keep their values; the chart formats them. */
  duration: ChartSeries[];
  downtime: ChartSeries[];
  trouble: HistoryRow[];
  /** Lint findings of every run, by severity. */
  lint: LintCounts;
}

/** Records newest first in, the dashboard out. */
export function buildDashboard(newestFirst: RecordSummary[], options: { troubleLimit?: number } = {}): Dashboard {
  const byEnv = Map.groupBy(newestFirst, (r) => r.environment);
  const environments = [...byEnv].map(([environment, list]) => {
    const succeeded = list.filter((r) => r.status === 'success').length;
    return { environment, latest: historyRow(list[0]!), runs: list.length, succeeded, successRate: succeeded / list.length };
  });
  environments.sort((a, b) => (a.environment === 'production' ? -1 : b.environment === 'production' ? 1 : a.environment.localeCompare(b.environment)));
  const series = (pick: (r: RecordSummary) => number | null | undefined): ChartSeries[] =>
    environments
      .map(({ environment }) => ({
        label: environment,
        points: byEnv.get(environment)!.flatMap((r) => {
          const value = pick(r);
          return value === null || value === undefined ? [] : [{ at: r.startedAt, value, id: r.id }];
        }),
      }))
      .filter((s) => s.points.length > 0);
  const succeeded = newestFirst.filter((r) => r.status === 'success').length;
  return {
    total: newestFirst.length,
    succeeded,
    successRate: newestFirst.length ? succeeded / newestFirst.length : 0,
    environments,
    duration: series((r) => r.durationMs),
    downtime: series((r) => r.downtimeMs),
    lint: newestFirst.reduce(
      (sum, r) => ({ error: sum.error + (r.lint?.error ?? 0), warning: sum.warning + (r.lint?.warning ?? 0), info: sum.info + (r.lint?.info ?? 0) }),
      { error: 0, warning: 0, info: 0 },
    ),
    trouble: newestFirst
      .filter((r) => r.status === 'failed' || r.status === 'rolled-back' || r.status === 'unverified' || r.status === 'interrupted')
      .slice(0, options.troubleLimit ?? 10)
      .map(historyRow),
  };
}

export const formatRate = (rate: number) => `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)} %`;
