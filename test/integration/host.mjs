#!/usr/bin/env node
// A supervisor in its own process, so a test can SIGKILL it mid-run.
// Usage: host.mjs HOME SPEC_JSON [stop]
// Prints one JSON line {runId, pid, pgid, shimPid} once the run is spawned (and, with "stop", after the stop was sent), then idles.
import { openEmbedded } from '../../dist/index.js';

const [home, specJson, action] = process.argv.slice(2);
const e = await openEmbedded({ home, gitInfo: false });
const sup = e.supervisor;
const { run } = await sup.start(JSON.parse(specJson));
if (run.spec.ready) await sup.wait(run.id, 'ready');
if (action === 'stop') await sup.stop(run.id);
const a = sup.get(run.id).attempts[0];
console.log(JSON.stringify({ runId: run.id, pid: a.pid, pgid: a.pgid, shimPid: a.shimPid }));
setInterval(() => {}, 1 << 30);
