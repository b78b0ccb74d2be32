// Finds and reads logbook.config.json; paths inside it are relative to the file's folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LogbookError } from '../../core/errors.ts';
import { formatProblem, problemsFromZod } from '../../core/problems.ts';
import { registerSecret } from '../../core/redact.ts';
import { logbookConfigSchema, type LogbookConfig } from '../../schemas/config.ts';

export const CONFIG_FILE_NAME = 'logbook.config.json';

export interface LoadedConfig {
  config: LogbookConfig;
  /** The file read, or null when none exists and defaults apply. */
  file: string | null;
  /** Folder relative paths in the config are resolved against. */
  baseDir: string;
  /** Absolute path of a configured folder. */
  path(kind: keyof LogbookConfig['paths']): string;
}

/** `explicit` (from --config) wins, then LOGBOOK_CONFIG, then ./logbook.config.json, then defaults. */
export function loadConfig(explicit?: string, cwd = process.cwd(), options: { ignoreFile?: boolean } = {}): LoadedConfig {
  const chosen = explicit ?? process.env.LOGBOOK_CONFIG;
  const file = options.ignoreFile ? null : chosen ? resolve(cwd, chosen) : existsSync(resolve(cwd, CONFIG_FILE_NAME)) ? resolve(cwd, CONFIG_FILE_NAME) : null;
  if (chosen && file && !existsSync(file)) {
    throw new LogbookError(`config file not found: ${file}`, { code: 'E_CONFIG', outcome: 'usage', hint: 'check --config or LOGBOOK_CONFIG' });
  }
  let raw: unknown = {};
  if (file) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new LogbookError(`config file ${file} is not valid JSON`, { code: 'E_CONFIG', outcome: 'usage', cause: error, hint: 'fix the JSON syntax' });
    }
  }
  const parsed = logbookConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = problemsFromZod(parsed.error, file ?? CONFIG_FILE_NAME).map(formatProblem);
    throw new LogbookError(`invalid config:\n  ${lines.join('\n  ')}`, {
      code: 'E_CONFIG',
      outcome: 'usage',
      hint: 'fix the fields named above (see README, "Config reference")',
    });
  }
  for (const name of parsed.data.secretEnv ?? []) registerSecret(process.env[name]);
  const baseDir = file ? dirname(file) : cwd;
  const config = parsed.data;
  return { config, file, baseDir, path: (kind) => resolve(baseDir, config.paths[kind]) };
}
