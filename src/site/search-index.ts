// Builds the Pagefind search index through its Node API: runbook pages as HTML, and one small custom record per
// migration record (from the loader's side cache), so the index never parses whole record pages.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { SIDE_SEARCH_SUFFIX, recordSideCacheDir } from './content-dirs.ts';
import type { SearchDocument } from './search-document.ts';

export interface SearchIndexResult {
  records: number;
  pages: number;
  ms: number;
}

/** `siteDir` is the built site; `base` its URL base ("/"). Reads LOGBOOK_SITE_CACHE_DIR as the build did. */
export async function buildSearchIndex(siteDir: string, base = '/'): Promise<SearchIndexResult> {
  const started = performance.now();
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
  if (!index) throw new Error(`pagefind could not start: ${errors.join('; ')}`);
  try {
    const pages = await index.addDirectory({ path: siteDir, glob: 'runbooks/**/*.html' });
    if (pages.errors.length) throw new Error(`pagefind could not index the runbooks: ${pages.errors.join('; ')}`);
    const dir = recordSideCacheDir();
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(SIDE_SEARCH_SUFFIX)).sort();
    // One at a time: only one record's words are in this process at once, whatever the number of records.
    for (const name of names) {
      const doc = JSON.parse(await readFile(join(dir, name), 'utf8')) as SearchDocument;
      const added = await index.addCustomRecord({ url: `${base}${doc.path}`, content: doc.content, language: 'en', meta: doc.meta, filters: doc.filters });
      if (added.errors.length) throw new Error(`pagefind rejected ${name}: ${added.errors.join('; ')}`);
    }
    const written = await index.writeFiles({ outputPath: join(siteDir, 'pagefind') });
    if (written.errors.length) throw new Error(`pagefind could not write the index: ${written.errors.join('; ')}`);
    return { records: names.length, pages: pages.page_count, ms: performance.now() - started };
  } finally {
    await pagefind.close();
  }
}
