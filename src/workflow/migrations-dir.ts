// Which Prisma migrations folder a command reads: --migrations, else the environment's appRepo/migrationsDir, else ./prisma/migrations.
import { resolve } from 'node:path';
import type { LoadedConfig } from '../adapters/fs/config-file.ts';

export interface ResolvedMigrationsDir {
  dir: string;
  /** Named by the user (flag or config): a missing folder is then an error, not "no folder". */
  explicit: boolean;
}

export function resolveMigrationsDir(options: { flag?: string | undefined; env?: string | undefined; loaded: LoadedConfig }): ResolvedMigrationsDir {
  if (options.flag) return { dir: resolve(options.flag), explicit: true };
  const environment = options.env ? options.loaded.config.environments[options.env] : undefined;
  if (environment?.appRepo) return { dir: resolve(options.loaded.baseDir, environment.appRepo, environment.migrationsDir), explicit: true };
  return { dir: resolve('prisma/migrations'), explicit: false };
}
