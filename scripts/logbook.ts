#!/usr/bin/env node
// Kept for callers that still name the TypeScript entry; the command's one entry is scripts/logbook.mjs.
import './logbook.mjs';
