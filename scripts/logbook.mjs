#!/usr/bin/env node
// The `logbook` command's entry: plain JavaScript, so any Node can start it; the sources are TypeScript, which
// Node runs natively only from 22.18, so an older Node hands over to the one scripts/provision.sh installs
// or prints the one line that installs it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants, homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN = [22, 18];
const [major, minor] = process.versions.node.split('.').map(Number);
const args = process.argv.slice(2);

if (major > MIN[0] || (major === MIN[0] && minor >= MIN[1])) {
  // Caches the type-stripped and compiled sources between runs: most of a short command's start-up otherwise.
  (await import('node:module')).enableCompileCache?.();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(args);
} else {
  // Keep in step with scripts/provision.sh, which installs Node here when the system's is too old.
  const cache = process.env.LOGBOOK_NODE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'migration-logbook', 'node');
  const provisioned = join(cache, 'node_modules', '.bin', 'node');
  const self = fileURLToPath(import.meta.url);
  // The guard variable stops a loop should the provisioned Node itself be too old.
  if (existsSync(provisioned) && !process.env.LOGBOOK_NODE_HANDOVER) {
    const child = spawn(provisioned, [self, ...args], { stdio: 'inherit', env: { ...process.env, LOGBOOK_NODE_HANDOVER: provisioned } });
    // Ctrl-C reaches the child through the terminal's process group; a signal sent to this process alone is passed on.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    child.on('error', (error) => {
      console.error(`error: could not start ${provisioned}: ${error.message}`);
      process.exit(2);
    });
    child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
  } else {
    const quote = (word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`);
    const provision = join(self, '..', 'provision.sh');
    const found = process.env.LOGBOOK_NODE_HANDOVER
      ? `${process.env.LOGBOOK_NODE_HANDOVER} is Node ${process.versions.node}`
      : `this is Node ${process.versions.node}`;
    console.error(
      `error: logbook needs Node ${MIN.join('.')} or newer (${found}); run: ${['bash', provision, 'npx', 'logbook', ...args].map(quote).join(' ')}`,
    );
    process.exit(2);
  }
}
