#!/usr/bin/env node
// `npm run demo`: see the whole product on an embedded default, no database of yours needed.
//   node scripts/demo.ts [--workspace DIR] [--scale N] [--port N] [--no-serve]
import { parseArgs } from 'node:util';
import { previewSite, runDemo } from '../src/demo/run-demo.ts';

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
  console.log('Usage: npm run demo -- [--workspace DIR] [--scale N] [--port N] [--no-serve]\n\nFiles demo records into DIR (default .logbook/demo; replaced on each run), builds the site and serves it.');
  process.exit(0);
}

const controller = new AbortController();
let stopping = false;
const log = (line: string) => console.log(line);
const demo = await runDemo({ workspace: values.workspace, scale: Number(values.scale), log }).catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  controller.abort();
  await demo.stop();
  console.log(`stopped; the throwaway database is removed. Records and site stay in ${demo.workspace.dir}`);
};
process.on('SIGINT', () => void shutdown().then(() => process.exit(0)));
process.on('SIGTERM', () => void shutdown().then(() => process.exit(0)));
if (values['no-serve']) {
  await shutdown();
} else {
  await previewSite(demo.siteDir, Number(values.port), controller.signal, log);
  await shutdown();
}
