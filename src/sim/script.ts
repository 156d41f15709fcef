/**
 * What a simulated child does, read from its command line so a run's spec
 * alone decides it (and a restarted attempt behaves the same):
 *
 *   sim [--ready-after=MS] [--line-after=MS:TEXT] [--checkpoint-after=MS]
 *       [--exit-after=MS:CODE] [--ignore-term] [--grandchild[=ignore-term]]
 *       [--zombie-after=MS] [--listen=PORT:MS] [--unhealthy=FROM[:TO]]
 *
 * `--unhealthy`: its health probes fail from FROM ms after spawn until TO (for ever without TO).
 *
 * Any other command fails to spawn (command not found), like a typo would.
 */
export interface SimScript {
  readyAfterMs: number | null;
  lines: { afterMs: number; text: string }[];
  checkpointAfterMs: number | null;
  exit: { afterMs: number; code: number } | null;
  ignoreTerm: boolean;
  grandchild: null | { ignoreTerm: boolean };
  /** The grandchild exits at this time while the leader (which never reaps) lives on: a zombie. */
  zombieAfterMs: number | null;
  listen: { port: number; afterMs: number } | null;
  /** Health probes fail in this window (ms after spawn); `toMs` null: until the end. */
  unhealthy: { fromMs: number; toMs: number | null } | null;
}

export const SIM_COMMAND = 'sim';

function num(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new TypeError(`${flag}: ${String(v)} is not a number`);
  return n;
}

/** Parse a sim command line; undefined when the command does not exist. */
export function parseSimScript(command: string, args: readonly string[]): SimScript | undefined {
  if (command !== SIM_COMMAND) return undefined;
  const s: SimScript = {
    readyAfterMs: null,
    lines: [],
    checkpointAfterMs: null,
    exit: null,
    ignoreTerm: false,
    grandchild: null,
    zombieAfterMs: null,
    listen: null,
    unhealthy: null,
  };
  for (const arg of args) {
    const [flag, value] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    switch (flag) {
      case '--ready-after':
        s.readyAfterMs = num(value, flag);
        break;
      case '--checkpoint-after':
        s.checkpointAfterMs = num(value, flag);
        break;
      case '--ignore-term':
        s.ignoreTerm = true;
        break;
      case '--grandchild':
        s.grandchild = { ignoreTerm: value === 'ignore-term' };
        break;
      case '--zombie-after':
        s.zombieAfterMs = num(value, flag);
        break;
      case '--exit-after': {
        const [ms, code] = (value ?? '').split(':');
        s.exit = { afterMs: num(ms, flag), code: num(code ?? '0', flag) };
        break;
      }
      case '--line-after': {
        const i = (value ?? '').indexOf(':');
        s.lines.push({ afterMs: num(value?.slice(0, i), flag), text: value?.slice(i + 1) ?? '' });
        break;
      }
      case '--listen': {
        const [port, ms] = (value ?? '').split(':');
        s.listen = { port: num(port, flag), afterMs: num(ms ?? '0', flag) };
        break;
      }
      case '--unhealthy': {
        const [from, to] = (value ?? '').split(':');
        s.unhealthy = { fromMs: num(from, flag), toMs: to === undefined ? null : num(to, flag) };
        break;
      }
      default:
        throw new TypeError(`unknown sim flag ${arg}`);
    }
  }
  return s;
}
