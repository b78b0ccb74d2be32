// Astro site for Migration Logbook: static output, runbooks and records from content/.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

export default defineConfig({
  output: 'static',
  site: process.env.LOGBOOK_SITE_URL ?? 'http://localhost:4321',
  base: process.env.LOGBOOK_SITE_BASE ?? '/',
  trailingSlash: 'always',
  integrations: [mdx()],
});
