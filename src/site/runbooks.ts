// Build-time access to runbooks: the collection entry plus the parsed phases/sections/steps.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getCollection, type CollectionEntry } from 'astro:content';
import { parseRunbook, type ParsedRunbook } from '../core/runbook/parse-runbook.ts';

export interface SiteRunbook {
  entry: CollectionEntry<'runbooks'>;
  parsed: ParsedRunbook;
}

/** The parser reads the whole file (frontmatter included), so step ids match what the CLI sees. */
export async function loadRunbooks(): Promise<SiteRunbook[]> {
  const entries = await getCollection('runbooks');
  return entries.map((entry) => {
    const file = resolve(entry.filePath ?? '');
    return { entry, parsed: parseRunbook(readFileSync(file, 'utf8'), entry.filePath) };
  });
}
