// logbook validate: every runbook, record and the config against the shared schemas.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LoadedConfig } from '../adapters/fs/config-file.ts';
import { defineCommand } from '../cli/command.ts';
import { configFlag } from '../cli/common-flags.ts';
import { EXIT, LogbookError, usageError } from '../cli/errors.ts';
import type { ContentProblem } from '../core/problems.ts';

/** Runbook files (records are listed by the records lister, by the records layout). */
function mdxFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => /\.mdx?$/.test(name))
      .sort()
      .map((name) => join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export default defineCommand({
  name: 'validate',
  summary: 'Check every runbook, record and the config against the schemas',
  description: 'Checks the config, every runbook and every record; each problem is printed as file:line: field: reason.',
  flags: {
    config: configFlag,
    json: { type: 'boolean', description: 'Print the problems as JSON' },
  },
  async run({ flags, out }) {
    const { CONFIG_FILE_NAME, loadConfig } = await import('../adapters/fs/config-file.ts');
    const { formatProblem } = await import('../core/problems.ts');
    const { parseRecordFile } = await import('../core/record/parse-record.ts');
    const { listRecordTree } = await import('../adapters/fs/list-records.ts');
    const { collectRunbookProblems } = await import('../core/runbook/parse-runbook.ts');
    const problems: ContentProblem[] = [];
    const show = (file: string) => relative(process.cwd(), file) || file;
    let loaded: LoadedConfig;
    let configError = false;
    try {
      loaded = loadConfig(flags.config);
    } catch (error) {
      if (!(error instanceof LogbookError) || error.code !== 'E_CONFIG') throw error;
      // A broken config is one more problem to list; the content is still checked at the default paths.
      problems.push({ file: flags.config ?? 'logbook.config.json', field: '', message: error.message });
      configError = true;
      loaded = loadConfig(undefined, process.cwd(), { ignoreFile: true });
    }

    const runbooks = mdxFiles(loaded.path('runbooks'));
    for (const file of runbooks) problems.push(...collectRunbookProblems(readFileSync(file, 'utf8'), show(file)));
    const recordsDir = loaded.path('records');
    const tree = listRecordTree(recordsDir);
    const records = tree.records.map((r) => r.file);
    if (!loaded.file && !configError && runbooks.length === 0 && records.length === 0 && tree.strays.length === 0) {
      // "ok: 0 valid" would claim a check that never happened.
      throw usageError(
        `nothing to validate: no ${CONFIG_FILE_NAME} and no runbooks or records at ${show(loaded.path('runbooks'))} or ${show(loaded.path('records'))}`,
        'run it in your logbook folder, or pass --config FILE',
      );
    }
    for (const file of records) {
      const result = parseRecordFile(readFileSync(file, 'utf8'), show(file));
      if (!result.ok) problems.push(...result.problems);
    }
    // Nothing under the records folder is skipped silently: what no reader will ever load is a problem to fix.
    for (const stray of tree.strays) problems.push({ file: show(stray.file), field: '', message: `not read as a record: ${stray.reason}` });
    for (const d of tree.duplicates) {
      for (const path of d.paths) {
        const others = d.paths.filter((p) => p !== path).join(', ');
        problems.push({
          file: show(join(recordsDir, ...path.split('/'))),
          field: 'id',
          message: `id "${d.id}" is also filed at ${others}; ids are unique across the records folder`,
        });
      }
    }

    if (flags.json) out.json({ ok: problems.length === 0, runbooks: runbooks.length, records: records.length, problems });
    else if (problems.length === 0) out.line(`ok: ${runbooks.length} runbook(s) and ${records.length} record(s) are valid`);
    else {
      for (const problem of problems) out.line(formatProblem(problem));
      out.info(`${problems.length} problem(s) in ${new Set(problems.map((p) => p.file)).size} file(s)`);
    }
    // A missing or broken config is a config error (2), even though the content was checked too.
    return configError ? EXIT.usage : problems.length === 0 ? EXIT.ok : EXIT.problems;
  },
});
