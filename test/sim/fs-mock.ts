/**
 * Supervisor.start checks that the cwd is a directory with a real fs.stat,
 * whose completion time is the one thing in a simulated run the scheduler
 * cannot order. Sim tests replace it with an answer for '/' (the sims' cwd)
 * that settles as a microtask, so two racing starts are ordered by the
 * scheduler alone. Use: `vi.mock('node:fs/promises', async (orig) => (await import('./fs-mock.js')).simFsMock(orig))`.
 */
import type * as FsPromises from 'node:fs/promises';

export async function simFsMock(importOriginal: () => Promise<typeof FsPromises>): Promise<typeof FsPromises> {
  const real = await importOriginal();
  const stat = ((path: string, ...rest: unknown[]) =>
    path === '/'
      ? Promise.resolve({ isDirectory: () => true })
      : (real.stat as (...a: unknown[]) => unknown)(path, ...rest)) as typeof real.stat;
  return { ...real, stat, default: { ...real, stat } } as typeof FsPromises;
}
