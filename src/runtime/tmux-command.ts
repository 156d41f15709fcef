/**
 * Running tmux against our private server: always `-S <stateDir>/tmux.sock`,
 * so runledger never touches the user's own tmux sessions.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { execa } from 'execa';
import { RunledgerError } from '../errors.js';

export interface TmuxServer {
  binary: string;
  socket: string;
}

/** The private server of a state dir; RUNTIME_UNAVAILABLE when tmux is not installed. */
export function locateTmux(stateDir: string, binary = 'tmux'): TmuxServer {
  try {
    execFileSync(binary, ['-V'], { stdio: 'ignore' });
  } catch (cause) {
    throw new RunledgerError(
      'RUNTIME_UNAVAILABLE',
      `tmux is not installed (tried \`${binary} -V\`); install tmux or use the background runtime`,
      { binary },
      { cause },
    );
  }
  return { binary, socket: join(stateDir, 'tmux.sock') };
}

/** Run one tmux command; resolves with stdout, or with the failure message. */
export async function runTmux(server: TmuxServer, args: string[]): Promise<{ ok: boolean; stdout: string; message: string }> {
  const result = await execa(server.binary, ['-S', server.socket, ...args], { reject: false, stdin: 'ignore' });
  return { ok: !result.failed, stdout: String(result.stdout).trim(), message: String(result.stderr || result.shortMessage).trim() };
}

/** Session name of a run; run ids are validated [0-9A-Z]+, so this is safe in a tmux target. */
export function sessionName(runId: string): string {
  return `rl-${runId}`;
}

/** Quote one word for the `sh -c` that tmux gives pipe-pane commands. */
export function quoteForShell(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
