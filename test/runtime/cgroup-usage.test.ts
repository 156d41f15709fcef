import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCpuStat, readCgroupUsage } from '../../src/runtime/cgroup-usage.js';
import { parseKernelPageSize } from '../../src/runtime/page-size.js';

describe('cgroup accounting', () => {
  it('reads usage_usec from cpu.stat as seconds', () => {
    expect(parseCpuStat('usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n')).toBe(1.234567);
    expect(parseCpuStat('nr_periods 0\n')).toBeUndefined();
  });

  it('reads cpu.stat, memory.current and memory.peak where they exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-cg-'));
    try {
      expect(await readCgroupUsage(dir)).toBeUndefined();
      writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 2500000\n');
      expect(await readCgroupUsage(dir)).toEqual({ cpuSeconds: 2.5 });
      writeFileSync(join(dir, 'memory.current'), '1048576\n');
      writeFileSync(join(dir, 'memory.peak'), '4194304\n');
      expect(await readCgroupUsage(dir)).toEqual({ cpuSeconds: 2.5, memoryBytes: 1048576, peakBytes: 4194304 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('page size', () => {
  it('is named by the first mapping of /proc/self/smaps', () => {
    expect(parseKernelPageSize('55d0-55d1 r--p 00000000 08:01 1 /bin/x\nSize:  4 kB\nKernelPageSize:        4 kB\n')).toBe(4096);
    expect(parseKernelPageSize('KernelPageSize:       64 kB\n')).toBe(65536);
    expect(parseKernelPageSize('nothing')).toBeUndefined();
  });
});
