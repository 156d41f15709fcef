#!/usr/bin/env -S node --
// Thin launcher: the CLI is bundled into dist/cli-bundle by `npm run build`
// (scripts/bundle-cli.mjs; start-up cost is why, see ARCHITECTURE.md).
// `--` ends node's own options: node 20+ scans every later argument for its
// `--env-file` (and exits 9 when the file is missing) unless a `--` precedes
// it, which would swallow `runledger run --env-file PATH`.
import { main } from '../dist/cli-bundle/main.js';

process.exitCode = await main(process.argv);
