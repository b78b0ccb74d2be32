// Astro site for Migration Logbook: static output, runbooks and records from content/.
// LOGBOOK_SITE_OUT_DIR / LOGBOOK_SITE_CACHE_DIR let tests and benchmarks build elsewhere (one build at a time).
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { siteCacheDir } from './src/site/content-dirs.ts';

export default defineConfig({
  output: 'static',
  site: process.env.LOGBOOK_SITE_URL ?? 'http://localhost:4321',
  base: process.env.LOGBOOK_SITE_BASE ?? '/',
  trailingSlash: 'always',
  outDir: process.env.LOGBOOK_SITE_OUT_DIR || './dist',
  cacheDir: siteCacheDir(),
  // High-contrast themes: github-dark's comments (#6a737d) fail WCAG contrast; the page follows the reader's scheme.
  markdown: { shikiConfig: { themes: { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' } } },
  integrations: [mdx()],
});
