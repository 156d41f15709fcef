/** Colour only for people: on a TTY, and never with NO_COLOR set (https://no-color.org). */
import { picocolors as pc } from '../cjs.js';

export type Style = ReturnType<typeof pc.createColors>;

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return pc.createColors(stream.isTTY === true && !noColor && env.TERM !== 'dumb');
}

/** A status word in the colour people read it by. */
export function paintStatus(style: Style, status: string): string {
  switch (status) {
    case 'running':
      return style.green(status);
    case 'completed':
    case 'stopped':
      return style.dim(status);
    case 'failed':
    case 'timeout':
      return style.red(status);
    case 'killed':
    case 'interrupted':
      return style.yellow(status);
    case 'stale':
    case 'unknown':
      return style.magenta(status);
    default:
      return style.cyan(status);
  }
}
