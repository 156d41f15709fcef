/** What every tool and resource handler gets: the daemon, the session, the safety flags, and stderr. */
import type { DaemonApi } from './daemon-api.js';
import type { McpOptions } from './options.js';
import type { Session } from './session.js';

export interface McpContext {
  api: DaemonApi;
  session: Session;
  options: McpOptions;
  /** Diagnostics go to stderr: stdout carries the protocol only. */
  log(line: string): void;
}
