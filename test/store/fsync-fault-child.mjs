// Runs under LD_PRELOAD=fsync-fault.so: appends in phases, arming the fault
// injector between them, and prints one JSON line per append outcome.
// The parent reopens the ledger afterwards and checks every claim made here.
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [storeEntry, dir, faultDir] = process.argv.slice(2);
const { openLedger } = await import(pathToFileURL(storeEntry).href);
const store = await openLedger({ dir });
const arm = (name, content = '1') => writeFileSync(join(faultDir, name), content);
let n = 0;

/** `count` concurrent appends (same tick, so group commit batches them); each outcome is printed. */
async function phase(name, count) {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const id = `01J${String(++n).padStart(23, '0')}`;
      const data = { supervisorId: `${name}-${i}`, pid: n, version: '0.1.0', bootId: 'b', hostname: 'h' };
      try {
        const { positions } = await store.append(`writer-${i % 3}`, [{ id, type: 'SupervisorStarted', data }]);
        print({ phase: name, id, ok: true, positions });
      } catch (err) {
        print({ phase: name, id, ok: false, code: err.code ?? String(err), details: err.details ?? {} });
      }
    }),
  );
}
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

await phase('before', 10);
arm('sync-next'); // the next fdatasync fails after LevelDB wrote the batch to its log
await phase('fsync-fault', 8);
arm('log-write-next'); // the next write to the log fails: nothing of that batch reaches the file
await phase('write-fault', 8);
await phase('after', 10);
arm('sync-always'); // now the reopen fails too: the store must fail closed
await phase('reopen-fault', 4);
rmSync(join(faultDir, 'sync-always'));
await phase('failed-closed', 4);
await store.close().catch(() => {});
print({ done: true });
