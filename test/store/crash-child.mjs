// Appends forever from 4 concurrent writers, printing each acknowledged position; the parent SIGKILLs it.
import { pathToFileURL } from 'node:url';

const [storeEntry, dir] = process.argv.slice(2);
const { openLedger } = await import(pathToFileURL(storeEntry).href);
const store = await openLedger({ dir });
process.stdout.write('ready\n');

async function writer(w) {
  for (let i = 0; ; i++) {
    const data = { supervisorId: `w${w}-${i}`, pid: 1 + i, version: '0.1.0', bootId: 'b', hostname: 'h' };
    const { positions } = await store.append(`writer-${w}`, [{ type: 'SupervisorStarted', data }]);
    process.stdout.write(`${positions[0]}\n`);
  }
}
await Promise.all([0, 1, 2, 3].map(writer));
