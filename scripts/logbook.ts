#!/usr/bin/env node
// Entry point: `node scripts/logbook.ts <command>` or `npx logbook <command>`.
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
