// The records collection's loader. Each record MDX file is read once: its frontmatter validated by the record
// schema, its body rendered as plain Markdown (no compiled module per record). The collection keeps only each
// entry's id, file path and digest: its summary, the full record with its body HTML, its table facts and its
// search document go to a JSON side cache, read by the pages that need them, so 10,000 records never sit in
// memory (or in Astro's serialized store, which the build bundles and loads whole) at once.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader } from 'astro/loaders';
import { listRecordTree, type RecordFile } from '../adapters/fs/list-records.ts';
import { type ContentProblem, formatProblem } from '../core/problems.ts';
import { parseRecordFile } from '../core/record/parse-record.ts';
import type { MigrationRecord } from '../schemas/record.ts';
import { recordSideCacheDir, sideFactsFile, sideRecordFile, sideSearchFile, sideSummaryFile } from './content-dirs.ts';
import { summariseRecord, tableFacts } from './record-summary.ts';
import { renderProse } from './render-prose.ts';
import { humanProse, searchDocument } from './search-document.ts';

/** What the side cache holds per record: the whole validated record and its body rendered to HTML. */
export interface SideRecord {
  record: MigrationRecord;
  html: string;
}

export interface RecordLoaderOptions {
  /** The records folder (absolute, or relative to the project root): `<id>.mdx` files at its top and in its YYYY/MM folders. */
  base: string;
  /** Files read at once; bounded so 10,000 records never hold 10,000 file handles. */
  concurrency?: number;
}

/** A bad record stops the build, naming every file, field and reason at once. */
export class RecordContentError extends Error {
  readonly problems: ContentProblem[];
  constructor(problems: ContentProblem[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} in migration records:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'RecordContentError';
    this.problems = problems;
  }
}

export function recordLoader(options: RecordLoaderOptions): Loader {
  return {
    name: 'migration-logbook-records',
    load: async ({ store, config, logger, generateDigest }) => {
      const root = fileURLToPath(config.root);
      const dir = resolve(root, options.base);
      const sideCache = recordSideCacheDir();
      await mkdir(sideCache, { recursive: true });
      // The CLI's own lister: the site reads exactly the records `verify` and `validate` see, by id, wherever filed.
      const tree = listRecordTree(dir);
      const problems: ContentProblem[] = tree.duplicates.map((d) => ({
        file: relative(root, join(dir, d.paths[0]!)).split('\\').join('/'),
        field: 'id',
        message: `id "${d.id}" is filed ${d.paths.length} times (${d.paths.join(', ')}); a record id is its page's URL, so it must be unique`,
      }));
      const seen = new Set<string>();
      const cacheFiles = new Set<string>();
      let rendered = 0;

      const loadOne = async ({ id, file }: RecordFile) => {
        const filePath = relative(root, file).split('\\').join('/');
        const source = await readFile(file, 'utf8');
        const digest = generateDigest(source);
        // Keyed by content digest, so a page can never read a stale record.
        const sideFiles = [sideRecordFile, sideSummaryFile, sideFactsFile, sideSearchFile].map((file) => file(id, digest));
        seen.add(id);
        for (const file of sideFiles) cacheFiles.add(basename(file));
        // Unchanged since the last build (dev server, warm cache): keep the stored entry and its side files. The same
        // record moved to another folder is not unchanged: its file path feeds the page's git history.
        const kept = store.get(id);
        if (kept?.digest === digest && kept.filePath === filePath && sideFiles.every((file) => existsSync(file))) return;
        const result = parseRecordFile(source, filePath, { checkBody: false });
        if (!result.ok) {
          problems.push(...result.problems);
          return;
        }
        // The body is machine-written Markdown plus people's prose: rendered as sanitised Markdown, never compiled as MDX.
        // Its HTML goes to the side file with the record, not into the store every page build loads.
        const { record, body } = result.value;
        const html = body.trim() ? await renderProse(body) : '';
        const side: SideRecord = { record, html };
        await writeFile(sideRecordFile(id, digest), JSON.stringify(side));
        await writeFile(sideSummaryFile(id, digest), JSON.stringify(summariseRecord(record)));
        const facts = tableFacts(record);
        await writeFile(sideFactsFile(id, digest), JSON.stringify(facts));
        await writeFile(
          sideSearchFile(id, digest),
          JSON.stringify(
            searchDocument(
              record,
              facts.touches.map((t) => t.table),
              humanProse(body),
            ),
          ),
        );
        rendered += 1;
        // Astro keeps an entry whose digest is unchanged as it was, old file path included: a moved record replaces it.
        if (kept && kept.filePath !== filePath) store.delete(id);
        // No data: the build bundles the whole store into one module and loads it with every page (measured at 3,000
        // records: the summaries in it took ~4.6 kB of heap per record, twice over, and more in the bundler).
        store.set({ id, data: {}, filePath, digest });
      };

      const queue = [...tree.records];
      const workers = Array.from({ length: Math.min(options.concurrency ?? 4, queue.length) }, async () => {
        for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) await loadOne(entry);
      });
      await Promise.all(workers);
      if (problems.length > 0) throw new RecordContentError(problems);
      for (const id of store.keys()) if (!seen.has(id)) store.delete(id);
      for (const name of await readdir(sideCache)) if (!cacheFiles.has(name)) await rm(join(sideCache, name), { force: true });
      const count = tree.records.length;
      logger.info(`${count} records (${rendered} read, ${count - rendered} unchanged) from ${relative(root, dir) || '.'}`);
      if (tree.strays.length)
        logger.warn(`${tree.strays.length} file(s) in the records folder are not records and were not read (\`logbook validate\` lists them)`);
    },
  };
}
