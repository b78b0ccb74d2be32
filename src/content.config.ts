// Content collections: the site reads runbooks and records through the very schemas the CLI uses.
// Locations come from LOGBOOK_RUNBOOKS_DIR / LOGBOOK_RECORDS_DIR (tests, benchmarks and demos point them elsewhere).
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { runbookFrontmatterSchema } from './schemas/runbook.ts';
import { recordLoader } from './site/record-loader.ts';
import { recordsDir, runbooksDir } from './site/content-dirs.ts';

export const collections = {
  runbooks: defineCollection({
    loader: glob({ pattern: '*.mdx', base: runbooksDir() }),
    schema: runbookFrontmatterSchema,
  }),
  // Records stay MDX files but load like data: see src/site/record-loader.ts (the site benchmark swaps in a
  // glob-loader baseline in a copy of the project, scripts/bench/site.ts).
  records: defineCollection({ loader: recordLoader({ base: recordsDir() }) }),
};
