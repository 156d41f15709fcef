/**
 * `runledger ui`: ask the daemon for its UI listener (started on demand),
 * print the URL with its token and hand it to the desktop's opener
 * (xdg-open) when there is a display. The URL is a credential: it is
 * printed for the user only, never logged by the daemon.
 */
import { spawn } from 'node:child_process';
import type { UiResponse } from '../../daemon/api.js';
import { openBackend } from '../backend.js';
import type { CommandResult } from '../command.js';
import type { CliContext } from '../context.js';

export interface UiFlags {
  port?: number;
  open: boolean;
  metricsRunIds?: boolean;
}

export async function uiCommand(ctx: CliContext, flags: UiFlags): Promise<CommandResult<UiResponse & { opened: boolean }>> {
  const backend = await openBackend(ctx);
  let answer: UiResponse;
  try {
    answer = await backend.ui({
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.metricsRunIds ? { metricsRunIds: true } : {}),
    });
  } finally {
    await backend.close();
  }
  const opened = flags.open && hasDisplay(ctx.env) && (await openInBrowser(answer.url));
  const value = { ...answer, opened };
  return {
    value,
    human: (style) =>
      `${answer.url}\n` +
      style.dim(opened ? 'opened in your browser; ' : 'open it in a browser on this machine; ') +
      style.dim('metrics: GET /metrics with Authorization: Bearer <token>'),
  };
}

function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** xdg-open, detached; false when it cannot be started. Its own failures are the desktop's to report. */
function openInBrowser(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
