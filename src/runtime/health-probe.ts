/**
 * One health probe against the real machine: HTTP (healthy on 2xx/3xx, no
 * redirect followed), TCP (healthy on connect) or exec (healthy on exit 0,
 * run without a shell in its own process group, killed whole at the
 * timeout). Never throws: a failure is data, with the evidence that explains
 * it (status and body head, the error, or the exit code and output tail).
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthCheck, HealthEvidence } from '../events/schemas.js';

export interface HealthProbeResult {
  ok: boolean;
  evidence: HealthEvidence;
}

/** What an exec probe or an HTTP error body may put in the evidence before the deciders cap it again. */
const OUTPUT_KEEP_BYTES = 4096;

/** Run the check's one probe kind within `check.timeoutMs`. `cwd` is where an exec probe runs (the run's cwd). */
export function runHealthProbe(check: HealthCheck, cwd: string): Promise<HealthProbeResult> {
  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  if (check.http) return probeHttp(check.http.url, check.timeoutMs, elapsed);
  if (check.tcp) return probeTcp(check.tcp.port, check.tcp.host ?? '127.0.0.1', check.timeoutMs, elapsed);
  if (check.exec) return probeExec(check.exec, cwd, check.timeoutMs, elapsed);
  throw new TypeError('health check needs one of http, tcp, exec');
}

function linesOf(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}

function probeHttp(url: string, timeoutMs: number, elapsed: () => number): Promise<HealthProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: HealthProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', headers: { 'user-agent': 'runledger-health' } }, (res) => {
      const status = res.statusCode ?? 0;
      const ok = status >= 200 && status < 400;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < OUTPUT_KEEP_BYTES) body += chunk.slice(0, OUTPUT_KEEP_BYTES - body.length);
        // A healthy answer needs no body; an unhealthy one's first bytes are the evidence.
        if (ok || body.length >= OUTPUT_KEEP_BYTES) finish();
      });
      const finish = (): void =>
        done({ ok, evidence: { status, ...(ok ? {} : { output: linesOf(body).slice(0, 20) }), durationMs: elapsed() } });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('error', (err) => done({ ok: false, evidence: { error: errorText(err), durationMs: elapsed() } }));
    const timer = setTimeout(
      () => done({ ok: false, evidence: { timedOut: true, error: `no answer within ${timeoutMs}ms`, durationMs: elapsed() } }),
      timeoutMs,
    );
    req.end();
  });
}

function probeTcp(port: number, host: string, timeoutMs: number, elapsed: () => number): Promise<HealthProbeResult> {
  return new Promise((resolve) => {
    const sock = connect({ port, host });
    const done = (r: HealthProbeResult): void => {
      sock.destroy();
      resolve(r);
    };
    sock.setTimeout(timeoutMs, () =>
      done({
        ok: false,
        evidence: { timedOut: true, error: `no connection to ${host}:${port} within ${timeoutMs}ms`, durationMs: elapsed() },
      }),
    );
    sock.once('connect', () => done({ ok: true, evidence: { durationMs: elapsed() } }));
    sock.once('error', (err) => done({ ok: false, evidence: { error: errorText(err), durationMs: elapsed() } }));
  });
}

function probeExec(
  exec: { command: string; args: string[] },
  cwd: string,
  timeoutMs: number,
  elapsed: () => number,
): Promise<HealthProbeResult> {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    // Its own group, so a probe that started children is killed whole at the timeout.
    const child = spawn(exec.command, exec.args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEEP_BYTES);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, evidence: { error: errorText(err), durationMs: elapsed() } });
    });
    // A descendant that left the group may hold the pipes open for ever: once the probe itself has
    // exited, its output gets a moment more, then the pipes are closed so the result is not held back.
    child.once('exit', () => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 500).unref();
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      const evidence: HealthEvidence = {
        exitCode,
        signal,
        output: linesOf(output).slice(-20),
        durationMs: elapsed(),
        ...(timedOut ? { timedOut: true, error: `still running after ${timeoutMs}ms (killed)` } : {}),
      };
      resolve({ ok: !timedOut && exitCode === 0, evidence });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

function errorText(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}
