#!/usr/bin/env node
// `npm run demo`: see the whole product on an embedded default, no database of yours needed.
//   node scripts/demo.ts [--workspace DIR] [--scale N] [--port N] [--no-serve]
import { parseArgs } from 'node:util';
import { createCleanups } from './demo/cleanups.ts';
import { previewSite, runDemo } from './demo/run-demo.ts';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string', default: '.logbook/demo' },
    scale: { type: 'string', default: '1' },
    port: { type: 'string', default: '4321' },
    'no-serve': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run demo -- [--workspace DIR] [--scale N] [--port N] [--no-serve]\n\nFiles demo records into DIR (default .logbook/demo; replaced on each run), builds the site and serves it.',
  );
  process.exit(0);
}

// The undo list exists and Ctrl-C runs it before the demo starts anything: interrupted at any moment, the
// throwaway PostgreSQL and its folder are removed.
const cleanups = createCleanups();
const controller = new AbortController();
let stopping: Promise<void> | null = null;
const shutdown = (): Promise<void> => {
  stopping ??= (async () => {
    controller.abort();
    await cleanups.run();
  })();
  return stopping;
};
const onSignal = (signal: NodeJS.Signals) => {
  if (stopping) return;
  console.log(`\n${signal}: stopping the demo and removing the throwaway database`);
  void shutdown().then(() => {
    console.log(`stopped; the throwaway database is removed. Records and site stay in ${values.workspace}`);
    process.exit(130);
  });
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const log = (line: string) => console.log(line);
let demo: Awaited<ReturnType<typeof runDemo>>;
try {
  demo = await runDemo({ workspace: values.workspace, scale: Number(values.scale), log, cleanups });
} catch (error) {
  // A Ctrl-C that killed a blocking step (initdb) reaches our handler only once the event loop runs again.
  await new Promise((resolve) => setTimeout(resolve, 100));
  // Interrupted: the signal handler finishes the clean-up and exits; the step it cut short is not a failure.
  if (stopping) await new Promise(() => {});
  console.error(`demo failed: ${(error as Error).message}`);
  await shutdown();
  process.exit(1);
}
if (!values['no-serve']) await previewSite(demo.siteDir, Number(values.port), controller.signal, log);
if (!stopping) {
  await shutdown();
  console.log(`stopped; the throwaway database is removed. Records and site stay in ${demo.workspace.dir}`);
}
