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
  // A Content-Security-Policy meta tag on every page, with hashes of every script and style Astro emits: even
  // if prose ever slipped past the sanitiser, no inline script or event handler would run. Pagefind's search
  // compiles WebAssembly, which needs 'wasm-unsafe-eval' (not 'unsafe-eval': JavaScript eval stays blocked).
  security: {
    csp: {
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      styleDirective: { resources: ["'self'"] },
      directives: ["default-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'self'", "form-action 'self'"],
    },
  },
});
