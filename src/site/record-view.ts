// Everything one record page shows, shaped at build time: deltas with anomalies, checklist against the runbook,
// digest and chain status, the rollback comparison and a link to the code.
import type { SnapshotDiff, TableDelta } from '../core/diff/diff-snapshots.ts';
import { displayName } from '../core/names.ts';
import type { ChainProblem, RecordTamper } from '../core/record/digest.ts';
import { checklistEntries } from '../core/record/record-checklist.ts';
import { backupCounts, preTableCounts, recordDiff, rollbackTableCounts } from '../core/record/snapshot-access.ts';
import type { ParsedRunbook } from '../core/runbook/parse-runbook.ts';
import type { SchemaChanges } from '../schemas/compact-snapshot.ts';
import type { ChecklistEntry, MigrationRecord } from '../schemas/record.ts';

/** A browsable URL for a commit when the remote is a known host shape (GitHub, GitLab, Bitbucket, Gitea). */
export function commitUrl(remote: string | null, commit: string): string | null {
  if (!remote) return null;
  const scp = /^(?:ssh:\/\/)?git@([^:/]+)[:/](.+?)(?:\.git)?\/?$/.exec(remote);
  const http = /^https?:\/\/(?:[^@/]+@)?([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(remote);
  const match = scp ?? http;
  if (!match) return null;
  const [, host, path] = match;
  if (host!.includes('bitbucket')) return `https://${host}/${path}/commits/${commit}`;
  return `https://${host}/${path}/commit/${commit}`;
}

export interface TableRowView extends TableDelta {
  anomaly: string | null;
}

export function tableRows(diff: SnapshotDiff): TableRowView[] {
  const anomalies = new Map(diff.anomalies.map((a) => [a.table, a.message]));
  return diff.tables.map((t) => ({ ...t, anomaly: anomalies.get(t.table) ?? null }));
}

export type ChecklistState = ChecklistEntry['state'] | 'not-recorded';

export interface ChecklistPhaseView {
  id: string;
  title: string;
  steps: Array<{ id: string; text: string; state: ChecklistState; by: ChecklistEntry['by'] | null; reason: string | null }>;
  counts: Record<ChecklistState, number>;
}

export interface ChecklistView {
  phases: ChecklistPhaseView[];
  totals: Record<ChecklistState, number>;
  /** Steps the record names that the runbook does not have (renamed or removed since). */
  unknown: ChecklistEntry[];
}

const emptyCounts = (): Record<ChecklistState, number> => ({ done: 0, skipped: 0, 'not-applicable': 0, 'not-recorded': 0 });

export function checklistView(entries: ChecklistEntry[], runbook: ParsedRunbook | null): ChecklistView {
  const byId = new Map(entries.map((e) => [e.stepId, e]));
  const totals = emptyCounts();
  if (!runbook) {
    for (const e of entries) totals[e.state] += 1;
    return { phases: [], totals, unknown: entries };
  }
  const known = new Set(runbook.steps.map((s) => s.id));
  const phases = runbook.phases.map((phase) => {
    const counts = emptyCounts();
    const steps = phase.sections.flatMap((section) =>
      section.steps.map((step) => {
        const entry = byId.get(step.id);
        const state: ChecklistState = entry?.state ?? 'not-recorded';
        counts[state] += 1;
        totals[state] += 1;
        return { id: step.id, text: step.text, state, by: entry?.by ?? null, reason: entry?.reason ?? null };
      }),
    );
    return { id: phase.id, title: phase.title, steps, counts };
  });
  return { phases, totals, unknown: entries.filter((e) => !known.has(e.stepId)) };
}

export interface DigestStatus {
  state: 'intact' | 'edited' | 'chain-broken';
  details: string[];
}

/** `tamper` is checkRecordDigest's verdict (computed by the loader); chain problems come from checkChains. */
export function digestStatus(record: Pick<MigrationRecord, 'id'>, tamper: RecordTamper | null, chainProblems: ChainProblem[]): DigestStatus {
  const details: string[] = [];
  if (tamper) {
    if (tamper.editedSections.length) details.push(`captured facts edited after filing: ${tamper.editedSections.join(', ')}`);
    if (tamper.digestMismatch) details.push("the digest block or the record's position (seq, previous) was altered");
    if (tamper.rollbackEdited) details.push('the rollback section or status was edited');
  }
  const mine = chainProblems.filter((p) =>
    p.kind === 'missing'
      ? p.before === record.id
      : p.kind === 'relinked'
        ? p.record === record.id || p.record === `${record.id} (rollback)`
        : p.records.includes(record.id),
  );
  for (const p of mine) details.push(p.detail);
  return { state: tamper ? 'edited' : mine.length ? 'chain-broken' : 'intact', details };
}

export interface RollbackRowView {
  table: string;
  atBackup: number | null;
  afterRestore: number | null;
  matches: boolean;
}

export function rollbackRows(record: MigrationRecord): RollbackRowView[] {
  if (!record.rollback) return [];
  const atBackup = new Map(backupCounts(record).map((t) => [displayName(t), t.rows]));
  const after = new Map((rollbackTableCounts(record) ?? []).map((t) => [displayName(t), t.rows]));
  const names = [...new Set([...atBackup.keys(), ...after.keys()])].sort();
  return names.map((table) => ({
    table,
    atBackup: atBackup.get(table) ?? null,
    afterRestore: after.get(table) ?? null,
    matches: atBackup.get(table) === after.get(table),
  }));
}

/** Column and foreign-key changes a compact record stores (older records hold no column capture: null). */
export interface SchemaChangesView {
  columns: Array<{ change: '+ added' | '− dropped' | '~ changed'; table: string; column: string; detail: string | null }>;
  foreignKeys: Array<{ change: '+ added' | '− dropped'; table: string; name: string; definition: string }>;
}

const columnText = (c: { type: string; nullable: boolean; default: string | null }) =>
  `${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default === null ? '' : ` DEFAULT ${c.default}`}`;

export function schemaChangesView(changes: SchemaChanges | undefined): SchemaChangesView | null {
  if (!changes) return null;
  const on = (o: { schema: string; table: string }) => displayName({ schema: o.schema, name: o.table });
  return {
    columns: [
      ...changes.columns.added.map((c) => ({ change: '+ added' as const, table: on(c), column: c.name, detail: columnText(c) })),
      ...changes.columns.dropped.map((c) => ({ change: '− dropped' as const, table: on(c), column: c.name, detail: null })),
      ...changes.columns.changed.map((c) => ({
        change: '~ changed' as const,
        table: on(c),
        column: c.name,
        detail: `${columnText(c.before)} → ${columnText(c.after)}`,
      })),
    ],
    foreignKeys: [
      ...changes.foreignKeys.added.map((k) => ({ change: '+ added' as const, table: on(k), name: k.name, definition: k.definition })),
      ...changes.foreignKeys.dropped.map((k) => ({ change: '− dropped' as const, table: on(k), name: k.name, definition: k.definition })),
    ],
  };
}

export interface RecordView {
  diff: SnapshotDiff | null;
  schema: SchemaChangesView | null;
  tables: TableRowView[];
  commitUrl: string | null;
  digest: DigestStatus;
  checklist: ChecklistView;
  rollback: RollbackRowView[];
}

export function recordView(
  record: MigrationRecord,
  context: { chainProblems: ChainProblem[]; runbook: ParsedRunbook | null; tamper: RecordTamper | null },
): RecordView {
  const diff = recordDiff(record);
  return {
    diff,
    schema: schemaChangesView(record.changes),
    tables: diff
      ? tableRows(diff)
      : preTableCounts(record).map((t) => ({
          table: displayName(t),
          before: t.rows,
          after: null,
          delta: null,
          share: null,
          estimated: t.counted === 'estimate',
          change: 'unchanged',
          anomaly: null,
        })),
    commitUrl: record.code ? commitUrl(record.code.remote, record.code.commit) : null,
    digest: digestStatus(record, context.tamper, context.chainProblems),
    checklist: checklistView(checklistEntries(record.checklist), context.runbook),
    rollback: rollbackRows(record),
  };
}
