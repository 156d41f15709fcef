/**
 * What every command gets: the global flags resolved once (home, --json,
 * --config), where to write, and a clock. Commands return data; only the
 * entry point and stream sinks write.
 */
import { loadHome } from './daemon-link.js';

export interface GlobalFlags {
  home?: string;
  json?: boolean;
  config?: string;
}

export interface CliContext {
  json: boolean;
  /** --config FILE, if given. */
  config: string | undefined;
  cwd: string;
  /** The whole command line as typed (what commander parsed), for checks commander cannot make (run's stray words). */
  rawArgs: readonly string[];
  env: NodeJS.ProcessEnv;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  now(): number;
  /** The state directory (resolved on first use: --home, $RUNLEDGER_HOME, XDG). */
  home(): Promise<string>;
  /** Set by --all-hosts / --host: read commands answer from the fleet ledger. */
  fleet?: { url: string; host?: string };
  /** Write one object of a stream: NDJSON with --json, else its human line. */
  emit(value: unknown, human: () => string): void;
}

export function createContext(flags: GlobalFlags, rawArgs: readonly string[] = process.argv): CliContext {
  let home: string | undefined;
  const ctx: CliContext = {
    json: flags.json === true,
    config: flags.config,
    cwd: process.cwd(),
    rawArgs,
    env: process.env,
    out: process.stdout,
    err: process.stderr,
    now: Date.now,
    async home() {
      home ??= (await loadHome()).resolveHome({ ...(flags.home ? { home: flags.home } : {}), env: process.env });
      return home;
    },
    emit(value, human) {
      ctx.out.write((ctx.json ? JSON.stringify(value) : human()) + '\n');
    },
  };
  return ctx;
}
