/**
 * The part of the RuntimeAdapter contract that does not depend on real
 * processes, so the simulator's fake is held to the same rules as the real
 * adapters. (contract.ts checks /proc, fixture programs, log rotation and
 * signal masks, which only a real OS has.) A harness supplies adapter-
 * specific ways to make a child of each kind and to let time pass.
 */
import { firstValueFrom, filter, toArray, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { isRunledgerError } from '../../src/errors.js';
import type { OutputLine, ProcessIdentity, RuntimeAdapter, SpawnRequest } from '../../src/runtime/adapter.js';

export interface PortableHarness {
  create(): Promise<{ runtime: RuntimeAdapter; later(): RuntimeAdapter | Promise<RuntimeAdapter>; dispose(): Promise<void> }>;
  /** Requests for: a child that runs until signalled; exits with a code; ignores TERM with a TERM-ignoring grandchild; prints a line. */
  sleeper(): SpawnRequest;
  exitsWith(code: number): SpawnRequest;
  grandchildIgnoringTerm(): SpawnRequest;
  /** Resolves once the grandchild of `grandchildIgnoringTerm` has installed its TERM handler (its handshake). */
  grandchildSetUp(runtime: RuntimeAdapter, req: SpawnRequest): Promise<void>;
  prints(line: string): SpawnRequest;
  missingCommand(): SpawnRequest;
  /** Let the machine run (real time, or virtual time). */
  passTime(ms: number): Promise<void>;
  /** The same identity from another boot, or with a recycled start time. */
  stale(identity: ProcessIdentity): ProcessIdentity[];
}

export function portableRuntimeContract(name: string, h: PortableHarness): void {
  describe(`${name} satisfies the portable RuntimeAdapter contract`, () => {
    const within = async <T>(p: Promise<T>): Promise<T> => {
      let done = false;
      void p.finally(() => (done = true));
      for (let i = 0; i < 200 && !done; i++) await h.passTime(50);
      return p;
    };

    it('reports the exit code through waitExit and inspect', async () => {
      const { runtime, dispose } = await h.create();
      const req = h.exitsWith(7);
      const p = await runtime.spawn(req);
      expect(await within(runtime.waitExit(req.runId, req.attempt, p.identity))).toMatchObject({ exitCode: 7, signal: null });
      expect(await runtime.inspect(req.runId, req.attempt, p.identity)).toMatchObject({ state: 'gone', exit: { exitCode: 7 } });
      await dispose();
    });

    it('signals the group, then reports gone', async () => {
      const { runtime, dispose } = await h.create();
      const req = h.sleeper();
      const p = await runtime.spawn(req);
      expect((await runtime.inspect(req.runId, req.attempt, p.identity)).state).toBe('alive');
      expect(await runtime.signal(p.identity, 'SIGKILL', 'group')).toBe('sent');
      expect(await within(runtime.waitExit(req.runId, req.attempt, p.identity))).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
      expect(await runtime.signal(p.identity, 'SIGKILL', 'group')).toBe('gone');
      await dispose();
    });

    it('never signals a stale identity', async () => {
      const { runtime, dispose } = await h.create();
      const req = h.sleeper();
      const p = await runtime.spawn(req);
      for (const fake of h.stale(p.identity)) {
        expect(await runtime.signal(fake, 'SIGKILL', 'group')).toBe('mismatch');
        expect(await runtime.signal(fake, 'SIGKILL', 'process')).toBe('mismatch');
        expect((await runtime.inspect(req.runId, req.attempt, fake)).state).toBe('reused');
      }
      expect((await runtime.inspect(req.runId, req.attempt, p.identity)).state).toBe('alive');
      await runtime.signal(p.identity, 'SIGKILL', 'group');
      await within(runtime.waitExit(req.runId, req.attempt, p.identity));
      await dispose();
    });

    it('lets another instance wait for and stop a process an earlier one spawned', async () => {
      const { runtime, later, dispose } = await h.create();
      const req = h.sleeper();
      const p = await runtime.spawn(req);
      const other = await later();
      expect((await other.inspect(req.runId, req.attempt, p.identity)).state).toBe('alive');
      const waiting = other.waitExit(req.runId, req.attempt, p.identity);
      expect(await other.signal(p.identity, 'SIGTERM', 'group')).toBe('sent');
      expect(await within(waiting)).toMatchObject({ signal: 'SIGTERM' });
      await dispose();
    });

    it('resolves waitExit with undefined when aborted', async () => {
      const { runtime, dispose } = await h.create();
      const req = h.sleeper();
      const p = await runtime.spawn(req);
      const ac = new AbortController();
      const waiting = runtime.waitExit(req.runId, req.attempt, p.identity, ac.signal);
      ac.abort();
      expect(await within(waiting)).toBeUndefined();
      await runtime.signal(p.identity, 'SIGKILL', 'group');
      await dispose();
    });

    it('TERM kills the leader; the TERM-ignoring grandchild keeps the group alive until KILL', async () => {
      const { runtime, dispose } = await h.create();
      const req = h.grandchildIgnoringTerm();
      const p = await runtime.spawn(req);
      // Signalling before the grandchild ignores TERM would kill it too (the flaky failure under load).
      await within(h.grandchildSetUp(runtime, req));
      expect(await runtime.signal(p.identity, 'SIGTERM', 'group')).toBe('sent');
      expect(await within(runtime.waitExit(req.runId, req.attempt, p.identity))).toMatchObject({ signal: 'SIGTERM' });
      expect(await runtime.groupAlive(p.identity.pgid)).toBe(true);
      // The leader is gone, but the group is still ours and must stay reachable.
      expect(await runtime.signal(p.identity, 'SIGKILL', 'group')).toBe('sent');
      for (let i = 0; i < 100 && (await runtime.groupAlive(p.identity.pgid)); i++) await h.passTime(50);
      expect(await runtime.groupAlive(p.identity.pgid)).toBe(false);
      await dispose();
    });

    it('yields output lines until the child exits', async () => {
      const { runtime, dispose } = await h.create();
      const req = h.prints('HELLO-SIM');
      await runtime.spawn(req);
      const lines = collect(runtime.output(req.runId, req.attempt));
      expect((await within(lines)).map((l) => l.line)).toContain('HELLO-SIM');
      await dispose();
    });

    it('rejects SPAWN_FAILED for a missing command', async () => {
      const { runtime, dispose } = await h.create();
      await expect(runtime.spawn(h.missingCommand())).rejects.toSatisfy((e) => isRunledgerError(e, 'SPAWN_FAILED'));
      await dispose();
    });
  });
}

function collect(o: Observable<OutputLine>): Promise<OutputLine[]> {
  return firstValueFrom(
    o.pipe(
      filter(() => true),
      toArray(),
    ),
  );
}
