// The result of `logbook audit`: does every migration the database applied have a record? Written by
// `audit --write` as content/audits/<environment>.json and read by the site's dashboard.
import { z } from 'zod';
import { timestampSchema } from './common.ts';

export const AUDIT_SCHEMA_VERSION = 1;

export const coverageGapSchema = z
  .object({
    kind: z
      .enum(['unrecorded', 'not-in-database', 'state-disagrees'])
      .describe(
        'unrecorded: applied (or attempted) with no record; not-in-database: a record claims it, the database does not have it; state-disagrees: failed or rolled back on one side only.',
      ),
    migration: z.string().describe('The migration name.'),
    record: z.string().nullable().describe('The record that speaks about it, when one does.'),
    detail: z.string().describe('One line on what disagrees.'),
  })
  .strict();

export const coverageAuditSchema = z
  .object({
    schemaVersion: z.literal(AUDIT_SCHEMA_VERSION),
    environment: z.string().min(1).describe('The environment audited.'),
    checkedAt: timestampSchema.describe('When the database was compared with the records.'),
    database: z.string().describe('The database compared: host, port and name (never credentials).'),
    /** Environments whose records describe this same database. */
    environments: z.array(z.string()).describe('Environments whose records describe this database.'),
    applied: z.number().int().nonnegative().describe('Migrations the database has applied.'),
    recorded: z.number().int().nonnegative().describe('Of those, how many a record covers.'),
    /** Applied before the first record: the history the logbook started from. */
    baseline: z.number().int().nonnegative().describe('Applied before the first record of this database (its starting point).'),
    records: z.number().int().nonnegative().describe('Records of this database compared.'),
    gaps: z.array(coverageGapSchema),
    ok: z.boolean().describe('True when there is no gap.'),
  })
  .strict();

export type CoverageGap = z.infer<typeof coverageGapSchema>;
export type CoverageAudit = z.infer<typeof coverageAuditSchema>;
