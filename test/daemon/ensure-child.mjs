// One racing CLI: ensureDaemon(home) from the built package, then print the pid of the daemon it got.
const { ensureDaemon } = await import(new URL('../../dist/daemon/lifecycle.js', import.meta.url).href);
const client = await ensureDaemon(process.argv[2]);
process.stdout.write(`${client.status.pid}\n`);
