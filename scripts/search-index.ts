// Builds the site's search index after `astro build`: node scripts/search-index.ts [site dir, default dist]
// (a separate step, so its memory is its own and the benchmark can measure it).
import { buildSearchIndex } from '../src/site/search-index.ts';

const siteDir = process.argv[2] ?? process.env.LOGBOOK_SITE_OUT_DIR ?? 'dist';
const base = (process.env.LOGBOOK_SITE_BASE ?? '/').replace(/\/?$/, '/');
try {
  const result = await buildSearchIndex(siteDir, base);
  console.log(`search index: ${result.records} records and ${result.pages} runbook pages in ${(result.ms / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`The search index was not built: ${(error as Error).message}\nThe site itself is built; run this step again once the cause is fixed.`);
  process.exitCode = 1;
}
