/**
 * The RuntimeAdapter contract, run against every adapter (background, tmux,
 * and later the simulator's fake). Real processes, real signals, real files;
 * no timing thresholds: waits are on events, with vi.waitFor only where the
 * kernel gives no notification (a group emptying).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import type { RuntimeAdapter } from '../../src/runtime/adapter.js';
import { checkIdentity, identityOf, readProcStat } from '../../src/runtime/proc.js';
import { collectLines, makeStateDir, nodeRequest, removeDir, request, signalMasks, Started, waitForLine } from './helpers.js';

export interface ContractOptions {
  /** Does the adapter keep stderr apart from stdout (a tty merges them)? */
  separateStderr?: boolean;
  /** Extra teardown per state dir (e.g. killing a private tmux server). */
  cleanup?: (stateDir: string) => Promise<void> | void;
}

export function runtimeContract(
  name: string,
  create: (stateDir: string) => RuntimeAdapter | Promise<RuntimeAdapter>,
  options: ContractOptions = {},
): void {
  describe(`${name} satisfies the RuntimeAdapter contract`, () => {
    let stateDir: string;
    let runtime: RuntimeAdapter;
    let started: Started;
    const extra: RuntimeAdapter[] = [];

    beforeEach(async () => {
      stateDir = makeStateDir();
      runtime = await create(stateDir);
      started = new Started();
    });

    afterEach(async () => {
      await started.killAll(runtime);
      for (const r of [runtime, ...extra.splice(0)]) await r.close();
      await options.cleanup?.(stateDir);
      removeDir(stateDir);
    });

    it('returns the real child identity, matching /proc', async () => {
      const p = started.track(await runtime.spawn(request({ command: 'sleep', args: ['30'] })));
      expect(await identityOf(p.identity.pid)).toEqual(p.identity);
      expect(p.identity.pgid).toBe(p.identity.pid);
      const stat = await readProcStat(p.identity.pid);
      expect(stat?.comm).toBe('sleep');
      if (p.shimPid !== undefined) {
        expect(stat?.ppid).toBe(p.shimPid);
        expect((await readProcStat(p.shimPid))?.pgid).not.toBe(p.identity.pgid);
      }
      expect(p.logs.stdout).toMatch(/^runs\/[0-9A-Z]+\/1\/stdout\.log$/);
      expect((await runtime.inspect(p.logs.stdout.split('/')[1]!, 1, p.identity)).state).toBe('alive');
    });

    it('records exit code 7', async () => {
      const req = nodeRequest('exit-with-code.mjs', ['7']);
      const p = started.track(await runtime.spawn(req));
      const exit = await runtime.waitExit(req.runId, 1, p.identity);
      expect(exit).toMatchObject({ exitCode: 7, signal: null });
      expect(Number.isNaN(Date.parse(exit?.exitedAt ?? ''))).toBe(false);
      expect(await runtime.inspect(req.runId, 1, p.identity)).toMatchObject({ state: 'gone', exit: { exitCode: 7 } });
    });

    it('records death by SIGKILL sent to the group (the shim survives it)', async () => {
      const req = request({ command: 'sleep', args: ['30'] });
      const p = started.track(await runtime.spawn(req));
      expect(await runtime.signal(p.identity, 'SIGKILL', 'group')).toBe('sent');
      expect(await runtime.waitExit(req.runId, 1, p.identity)).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
      expect(await runtime.signal(p.identity, 'SIGKILL', 'group')).toBe('gone');
    });

    it('records a crash (SIGABRT after SIGUSR2)', async () => {
      const req = nodeRequest('crash-on-signal.mjs');
      const p = started.track(await runtime.spawn(req));
      await waitForLine(runtime.output(req.runId, 1), /RUNLEDGER-READY/);
      expect(await runtime.signal(p.identity, 'SIGUSR2', 'process')).toBe('sent');
      expect(await runtime.waitExit(req.runId, 1, p.identity)).toMatchObject({ signal: 'SIGABRT' });
    });

    it('lets a new adapter instance wait for a process an earlier one spawned', async () => {
      const req = request({ command: 'sleep', args: ['30'] });
      const p = started.track(await runtime.spawn(req));
      const later = await create(stateDir);
      extra.push(later);
      expect((await later.inspect(req.runId, 1, p.identity)).state).toBe('alive');
      const waiting = later.waitExit(req.runId, 1, p.identity);
      await later.signal(p.identity, 'SIGTERM', 'group');
      expect(await waiting).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    });

    it('resolves waitExit with undefined when aborted', async () => {
      const req = request({ command: 'sleep', args: ['30'] });
      const p = started.track(await runtime.spawn(req));
      const ac = new AbortController();
      const waiting = runtime.waitExit(req.runId, 1, p.identity, ac.signal);
      ac.abort();
      expect(await waiting).toBeUndefined();
    });

    it('stops a whole group: TERM, then KILL reaches the TERM-ignoring grandchild', async () => {
      const req = nodeRequest('grandchild-ignores-sigterm.mjs');
      const p = started.track(await runtime.spawn(req));
      // The grandchild prints its own pid once its TERM handler is installed.
      const grandchild = Number((await waitForLine(runtime.output(req.runId, 1), /^IGNORING/)).line.split(' ')[1]);
      started.pids.push(grandchild);
      expect((await readProcStat(grandchild))?.pgid).toBe(p.identity.pgid);
      expect(await runtime.signal(p.identity, 'SIGTERM', 'group')).toBe('sent');
      expect(await runtime.waitExit(req.runId, 1, p.identity)).toMatchObject({ signal: 'SIGTERM' });
      expect(await runtime.groupAlive(p.identity.pgid)).toBe(true);
      expect(await runtime.signal(p.identity, 'SIGKILL', 'group')).toBe('sent');
      await vi.waitFor(async () => expect(await runtime.groupAlive(p.identity.pgid)).toBe(false), { timeout: 10_000, interval: 20 });
      const left = await readProcStat(grandchild);
      expect(left === undefined || left.state === 'Z').toBe(true);
    });

    it('never signals a recycled pid (stale start time or boot id)', async () => {
      const req = request({ command: 'sleep', args: ['30'] });
      const p = started.track(await runtime.spawn(req));
      const stale = { ...p.identity, startTime: String(BigInt(p.identity.startTime) - 1n) };
      const otherBoot = { ...p.identity, bootId: '00000000-0000-0000-0000-000000000000' };
      for (const fake of [stale, otherBoot]) {
        expect(await runtime.signal(fake, 'SIGKILL', 'group')).toBe('mismatch');
        expect(await runtime.signal(fake, 'SIGKILL', 'process')).toBe('mismatch');
        expect((await runtime.inspect(req.runId, 1, fake)).state).toBe('reused');
      }
      expect((await checkIdentity(p.identity)).state).toBe('alive');
    });

    it('counts a zombie as dead', async () => {
      // The shell forks `sleep 1`, then becomes `sleep 30`, which never reaps it.
      const req = request({ command: 'sleep 1 & echo ZOMBIE $!; exec sleep 30', shell: true });
      const p = started.track(await runtime.spawn(req));
      const pid = Number((await waitForLine(runtime.output(req.runId, 1), /ZOMBIE/)).line.split(' ')[1]);
      const identity = await identityOf(pid);
      expect(identity).toBeDefined();
      await vi.waitFor(async () => expect((await readProcStat(pid))?.state).toBe('Z'), { timeout: 10_000, interval: 20 });
      expect(await checkIdentity(identity!)).toEqual({ state: 'gone', observed: { pid, zombie: true } });
      expect(await runtime.signal(identity!, 'SIGTERM', 'process')).toBe('gone');
      expect(await runtime.groupAlive(p.identity.pgid)).toBe(true);
    });

    it('rejects SPAWN_FAILED for a missing command or cwd', async () => {
      const missing = runtime.spawn(request({ command: 'runledger-no-such-command-xyz' }));
      await expect(missing).rejects.toSatisfy((e) => isRunledgerError(e, 'SPAWN_FAILED'));
      await expect(missing).rejects.toThrow(/command not found: runledger-no-such-command-xyz/);
      const badCwd = runtime.spawn(request({ command: 'true', cwd: join(stateDir, 'nope') }));
      await expect(badCwd).rejects.toSatisfy((e) => isRunledgerError(e, 'SPAWN_FAILED'));
    });

    it('rotates logs at the cap under a flood, bounding total bytes', async () => {
      const logs = { maxBytes: 50_000, keep: 2 };
      const req = nodeRequest('flood-stdout.mjs', ['1000000'], { logs });
      const p = started.track(await runtime.spawn(req));
      expect(await runtime.waitExit(req.runId, 1, p.identity)).toMatchObject({ exitCode: 0 });
      const lines = await collectLines(runtime.output(req.runId, 1));
      const dir = join(stateDir, 'runs', req.runId, '1');
      const files = readdirSync(dir).filter((f) => f.startsWith('stdout.log') && !f.endsWith('.idx'));
      expect(files.sort()).toEqual(['stdout.log', 'stdout.log.1', 'stdout.log.2']);
      const sizes = files.map((f) => statSync(join(dir, f)).size);
      // A file may run past the cap by the rest of the one line straddling it (100-byte lines), never more.
      for (const size of sizes) expect(size).toBeLessThanOrEqual(logs.maxBytes + 100);
      expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual((logs.maxBytes + 100) * (logs.keep + 1));
      expect(lines.some((l) => l.line.startsWith('0000009999 '))).toBe(true);
    });

    it('yields output lines from stdout and stderr, and applies env and cwd', async () => {
      const cwd = makeStateDir();
      try {
        const req = nodeRequest('print-env.mjs', ['RL_VAR', 'RL_BASE', 'HOME'], {
          cwd,
          env: { RL_VAR: 'hello world' },
          baseEnv: { PATH: process.env.PATH, RL_BASE: 'base' },
        });
        started.track(await runtime.spawn(req));
        const lines = await collectLines(runtime.output(req.runId, 1));
        const text = lines.map((l) => l.line);
        expect(text).toContain(`CWD ${cwd}`);
        expect(text).toContain('RL_VAR=hello world');
        expect(text).toContain('RL_BASE=base');
        expect(text).toContain('HOME=');
        const stderr = lines.find((l) => l.line === 'STDERR-LINE');
        expect(stderr?.stream).toBe(options.separateStderr === false ? 'stdout' : 'stderr');
      } finally {
        removeDir(cwd);
      }
    });

    it('probes a TCP port and a Unix socket', async () => {
      const portReq = nodeRequest('listen-port.mjs', ['0']);
      const sock = join(stateDir, 'app.sock');
      const sockReq = nodeRequest('listen-socket.mjs', [sock]);
      const a = started.track(await runtime.spawn(portReq));
      started.track(await runtime.spawn(sockReq));
      const port = Number((await waitForLine(runtime.output(portReq.runId, 1), /LISTENING/)).line.split(' ')[1]);
      await waitForLine(runtime.output(sockReq.runId, 1), /RUNLEDGER-READY/);
      expect(await runtime.probe({ port })).toBe(true);
      expect(await runtime.probe({ socket: sock })).toBe(true);
      expect(await runtime.probe({ socket: join(stateDir, 'missing.sock') })).toBe(false);
      await runtime.signal(a.identity, 'SIGKILL', 'group');
      await runtime.waitExit(portReq.runId, 1, a.identity);
      expect(await runtime.probe({ port })).toBe(false);
    });

    it('leaves signal dispositions as a plain spawn would (sleep dies on TERM)', async () => {
      const req = request({ command: 'sleep', args: ['30'] });
      const p = started.track(await runtime.spawn(req));
      const direct = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        await vi.waitFor(async () => expect((await readProcStat(direct.pid!))?.comm).toBe('sleep'), { interval: 10 });
        expect(await signalMasks(p.identity.pid)).toEqual(await signalMasks(direct.pid!));
      } finally {
        direct.kill('SIGKILL');
      }
      await runtime.signal(p.identity, 'SIGTERM', 'process');
      expect(await runtime.waitExit(req.runId, 1, p.identity)).toMatchObject({ signal: 'SIGTERM' });
    });
  });
}
