/** What a command hands back: plain data, how people read it, and the exit code if not 0. */
import type { Style } from './render/style.js';

export interface CommandResult<T = unknown> {
  /** Printed as JSON with --json. */
  value: T;
  /** Printed for people otherwise. */
  human: (style: Style) => string;
  exitCode?: number;
  /** Print the human text on stderr (an error that still carries a result). */
  toStderr?: boolean;
}

/** A streaming command printed as it went: nothing is left to print. */
export const STREAMED: CommandResult<undefined> = { value: undefined, human: () => '' };
