// logbook audit: was every change to this database recorded? Its _prisma_migrations against its records.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../cli/command.ts';
import { configFlag } from '../cli/common-flags.ts';
import { EXIT, LogbookError, usageError } from '../cli/errors.ts';
import type { CoverageAudit } from '../schemas/audit.ts';

export default defineCommand({
  name: 'audit',
  summary: "Compare the database's applied migrations with its records; exit 1 on any deploy without a record",
  description: `Reads _prisma_migrations (read-only) and compares it with every record of that database: records
of the environment, and of any other environment whose records name the same host, port and database.
Lists migrations applied (or attempted) with no record, records claiming migrations the database does not
have, and failed or rolled-back states that disagree. Migrations already applied when the first record was
filed are the starting point ("baseline"), not gaps. --write stores the result in the audits folder
(paths.audits, default content/audits/<env>.json) for the site's dashboard. --file-gaps files one record,
after the fact, for the migrations applied with no record (chained and anchored like any record; its
timeline says it was filed by the audit, with --reason), then audits again.`,
  flags: {
    env: {
      type: 'string',
      valueName: 'NAME',
      required: true,
      example: 'e.g. logbook audit --env production (the audit compares one database with its records)',
      description: 'Environment from the config whose database is audited',
    },
    db: { type: 'string', valueName: 'URL', description: "Database URL (default: the environment's env var)" },
    config: configFlag,
    json: { type: 'boolean', description: 'Print the result as JSON' },
    write: { type: 'boolean', description: 'Store the result for the site (content/audits/<env>.json)' },
    'file-gaps': { type: 'boolean', description: 'File a record, after the fact, of the migrations applied with no record' },
    reason: { type: 'string', valueName: 'TEXT', description: 'With --file-gaps: why they bypassed the logbook (kept in the record)' },
    by: { type: 'string', valueName: 'NAME', description: 'With --file-gaps: who files the record (default: git user)' },
    commit: { type: 'boolean', description: 'With --file-gaps: commit the record (default: the config "commit")' },
  },
  async run({ flags, out, signal }) {
    if (flags['file-gaps'] && !flags.reason)
      throw usageError('--file-gaps needs --reason TEXT', 'say why these migrations bypassed the logbook; the reason is kept in the record');
    const { writeFileAtomically } = await import('../adapters/fs/atomic-write.ts');
    const { loadConfig } = await import('../adapters/fs/config-file.ts');
    const { readAllRecords } = await import('../adapters/fs/record-store.ts');
    const { withClient } = await import('../adapters/pg/client.ts');
    const { readPrismaMigrationRows } = await import('../adapters/pg/prisma-migrations.ts');
    const { resolveDatabaseUrl } = await import('../workflow/database-url.ts');
    const { computeCoverage, databaseKey, firstFiled } = await import('../core/audit/coverage.ts');
    const { isCompactSnapshot } = await import('../core/record/snapshot-access.ts');
    const { describeSnapshotFileProblem, readSnapshotDetail, snapshotTreeState } = await import('../adapters/fs/snapshot-store.ts');
    const { snapshotFilePath } = await import('../core/record/snapshot-files.ts');
    const { classifyMigrations } = await import('../core/migrations/classify-migrations.ts');
    const { buildRunContext } = await import('../workflow/run-context.ts');
    const { fileGapRecord } = await import('../workflow/file-gap-record.ts');
    const { AUDIT_SCHEMA_VERSION, coverageAuditSchema } = await import('../schemas/audit.ts');
    const environment = flags.env;
    const loaded = loadConfig(flags.config);
    const db = resolveDatabaseUrl({ db: flags.db, env: loaded.config.environments[environment] ? environment : undefined, loaded });
    const key = databaseKey(db.url);
    const compare = async () => {
      const rows = await withClient(db.target, { doing: 'reading _prisma_migrations' }, (client) => readPrismaMigrationRows(client));
      const records = (await readAllRecords(loaded.path('records'), { checkBody: false }))
        .map((s) => s.record)
        .filter((r) => r.environment === environment || (key !== null && databaseKey(r.database.url) === key));
      const database = classifyMigrations(rows, null, null).migrations;
      // A compact first record keeps its applied list in its snapshot files. Without them every migration applied
      // before that record would read as applied with no record (and --file-gaps would file that), so stop instead.
      const first = firstFiled(records);
      const full = first && isCompactSnapshot(first.pre) ? await readSnapshotDetail(loaded.path('records'), first.pre.full) : null;
      if (first && isCompactSnapshot(first.pre) && !full) {
        const found = await snapshotTreeState(loaded.path('records'), first.pre.full);
        const problem = found.state === 'ok' ? { state: 'edited' as const, path: snapshotFilePath(first.pre.full) } : found;
        throw new LogbookError(
          `the pre snapshot file ${join(loaded.path('records'), problem.path)} of the first record ${first.id} ${describeSnapshotFileProblem(problem.state)}: it lists the migrations applied before that record, so they cannot be told from deploys without a record`,
          {
            code: 'E_AUDIT_BASELINE',
            exitCode: EXIT.problems,
            hint: 'restore the file from git (`logbook verify` names every missing or edited one), then audit again',
          },
        );
      }
      const baseline = full ? full.migrations.migrations.filter((m) => m.status === 'applied').map((m) => m.name) : undefined;
      return { records, database, coverage: computeCoverage(database, records, baseline ? { baseline } : {}) };
    };
    let { records, database, coverage } = await compare();
    // Only what the database really has applied can be recorded as applied; a failed attempt stays a gap to look at.
    const unrecorded = coverage.gaps
      .filter((g) => g.kind === 'unrecorded' && database.find((m) => m.name === g.migration)?.status === 'applied')
      .map((g) => g.migration);
    if (flags['file-gaps'] && unrecorded.length) {
      const ctx = buildRunContext(
        { env: environment, db: flags.db, config: flags.config, commit: flags.commit },
        out,
        signal,
        (await import('../cli/run-hooks.ts')).terminalRunHooks,
      );
      const { record } = await fileGapRecord(ctx, unrecorded, { reason: flags.reason!, by: flags.by });
      out.info(`✓ filed ${record.id} for ${unrecorded.join(', ')}`);
      ({ records, database, coverage } = await compare());
    }
    const audit: CoverageAudit = coverageAuditSchema.parse({
      schemaVersion: AUDIT_SCHEMA_VERSION,
      environment,
      checkedAt: new Date().toISOString(),
      database: key ?? db.redacted,
      environments: [...new Set([environment, ...records.map((r) => r.environment)])].sort(),
      records: records.length,
      ...coverage,
      ok: coverage.gaps.length === 0,
    });
    if (flags.write) {
      const dir = loaded.path('audits');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${environment}.json`);
      await writeFileAtomically(file, `${JSON.stringify(audit, null, 2)}\n`, { overwrite: true });
      out.info(`✓ written ${file}`);
    }
    if (flags.json) out.json(audit);
    else {
      for (const gap of audit.gaps) out.line(`${gap.kind.toUpperCase().padEnd(16)} ${gap.detail}`);
      out.line(
        audit.ok
          ? `ok: all ${audit.applied} applied migration(s) of ${audit.database} are recorded (${audit.baseline} before the first record)`
          : `${audit.gaps.length} gap(s): ${audit.recorded} of ${audit.applied} applied migration(s) recorded`,
      );
    }
    return audit.ok ? EXIT.ok : EXIT.problems;
  },
});
