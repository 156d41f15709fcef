/**
 * What a cgroup's own accounting says about its tree: CPU time from
 * `cpu.stat` (`usage_usec`, which keeps the time of members that already
 * exited), memory from `memory.current` and, on kernels that have it,
 * `memory.peak`. Only files that exist are read: `memory.*` needs the memory
 * controller enabled for the subtree, and is undefined otherwise.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CgroupUsage {
  cpuSeconds: number;
  memoryBytes?: number;
  peakBytes?: number;
}

/** Pure: `usage_usec` of a cpu.stat text, in seconds; undefined without it. */
export function parseCpuStat(text: string): number | undefined {
  const m = /^usage_usec (\d+)$/m.exec(text);
  return m ? Number(m[1]) / 1e6 : undefined;
}

/** The cgroup's CPU and memory, or undefined when it has no cpu.stat (gone, or not a v2 cgroup). */
export async function readCgroupUsage(path: string): Promise<CgroupUsage | undefined> {
  const [cpu, current, peak] = await Promise.all(['cpu.stat', 'memory.current', 'memory.peak'].map((f) => readNumberFile(join(path, f))));
  const cpuSeconds = cpu === undefined ? undefined : parseCpuStat(cpu);
  if (cpuSeconds === undefined) return undefined;
  const usage: CgroupUsage = { cpuSeconds };
  if (current !== undefined && /^\d+\s*$/.test(current)) usage.memoryBytes = Number(current);
  if (peak !== undefined && /^\d+\s*$/.test(peak)) usage.peakBytes = Number(peak);
  return usage;
}

function readNumberFile(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}
