// Content collections: the site reads runbooks and records through the very schemas the CLI uses.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { migrationRecordSchema } from './schemas/record.ts';
import { runbookFrontmatterSchema } from './schemas/runbook.ts';

const contentRoot = process.env.LOGBOOK_CONTENT_DIR ?? './content';

export const collections = {
  runbooks: defineCollection({
    loader: glob({ pattern: '*.mdx', base: `${contentRoot}/runbooks` }),
    schema: runbookFrontmatterSchema,
  }),
  records: defineCollection({
    loader: glob({ pattern: '*.mdx', base: `${contentRoot}/records` }),
    schema: migrationRecordSchema,
  }),
};
