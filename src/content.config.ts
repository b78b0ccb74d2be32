// Content collections: the site reads runbooks and records through the very schemas the CLI uses.
// Locations come from LOGBOOK_RUNBOOKS_DIR / LOGBOOK_RECORDS_DIR (tests, benchmarks and demos point them elsewhere).
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { migrationRecordSchema } from './schemas/record.ts';
import { runbookFrontmatterSchema } from './schemas/runbook.ts';
import { recordLoader } from './site/record-loader.ts';
import { recordsDir, runbooksDir } from './site/content-dirs.ts';

export const collections = {
  runbooks: defineCollection({
    loader: glob({ pattern: '*.mdx', base: runbooksDir() }),
    schema: runbookFrontmatterSchema,
  }),
  // Records stay MDX files but load like data: see src/site/record-loader.ts. The benchmark's baseline
  // (LOGBOOK_RECORDS_LOADER=glob-md) loads the same records as plain .md through Astro's glob loader.
  records:
    process.env.LOGBOOK_RECORDS_LOADER === 'glob-md'
      ? defineCollection({ loader: glob({ pattern: '*.md', base: recordsDir() }), schema: migrationRecordSchema })
      : defineCollection({ loader: recordLoader({ base: recordsDir() }) }),
};
