// What a backup's sidecar file holds, and what a record says about the backup it relied on.
import { z } from 'zod';
import { sha256Schema, timestampSchema } from './common.ts';

export const backupFormatSchema = z
  .enum(['custom', 'directory'])
  .describe('pg_dump archive format: custom (one file) or directory (parallel dump, one file per table).');

export const verifyLevelSchema = z
  .enum(['none', 'list', 'restore'])
  .describe('How a backup is verified: none, list (pg_restore --list reads it), restore (restored into a scratch database and counted).');

export const backupTableCountSchema = z
  .object({
    schema: z.string().describe('Schema of the table.'),
    name: z.string().describe('Table name.'),
    rows: z.number().int().nonnegative().describe('Exact row count in the snapshot pg_dump dumped.'),
  })
  .strict();

export const backupVerificationSchema = z
  .object({
    level: verifyLevelSchema,
    ok: z.boolean().describe('Whether the verification passed.'),
    checkedAt: timestampSchema.describe('When the verification ran.'),
    detail: z.string().describe('What was checked and what was found.'),
  })
  .strict();

/** The sidecar `<archive>.meta.json`: written only once the archive is complete and fsynced. */
export const backupMetaSchema = z
  .object({
    schemaVersion: z.literal(1).describe('Sidecar format version.'),
    path: z.string().describe('Absolute path of the archive (file or directory).'),
    format: backupFormatSchema,
    bytes: z.number().int().nonnegative().describe('Archive size in bytes.'),
    sha256: sha256Schema.describe('sha256 of the archive; for a directory archive, of its manifest.'),
    manifest: z
      .array(z.object({ file: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() }).strict())
      .optional()
      .describe('Per-file sha256 of a directory archive.'),
    pgDumpVersion: z.string().describe('pg_dump --version.'),
    serverVersion: z.string().describe('Server version of the dumped database.'),
    database: z.string().describe('Dumped database name.'),
    startedAt: timestampSchema.describe('When pg_dump started.'),
    finishedAt: timestampSchema.describe('When the archive was complete.'),
    durationMs: z.number().nonnegative().describe('How long the dump took.'),
    compression: z.string().describe('Compression used by pg_dump.'),
    tables: z.array(backupTableCountSchema).describe('Tables and exact row counts as of the dump.'),
    verification: backupVerificationSchema.optional().describe('Last verification result.'),
    /** Where `backup.copyTo` put a durable copy (the configured `location`, placeholders filled), once it succeeded. */
    copiedTo: z.string().optional().describe('Where backup.copyTo put a durable copy of the archive.'),
  })
  .strict();

export type BackupFormat = z.infer<typeof backupFormatSchema>;
export type VerifyLevel = z.infer<typeof verifyLevelSchema>;
export type BackupTableCount = z.infer<typeof backupTableCountSchema>;
export type BackupVerification = z.infer<typeof backupVerificationSchema>;
export type BackupMeta = z.infer<typeof backupMetaSchema>;
