/**
 * Who is calling: one MCP connection is one owner session. Runs started
 * through it carry `owner.session` (so `interrupt` and the disconnect policy
 * find exactly them) and two labels naming the MCP client that started them,
 * since the ledger records a run's spec, labels included, for good.
 */
import { ulidGenerator } from '../ids.js';

export const CLIENT_LABEL = 'runledger.mcp.client';
export const CLIENT_VERSION_LABEL = 'runledger.mcp.client-version';

export interface ClientInfo {
  name: string;
  version: string;
}

export interface Session {
  /** The owner session id: `--session`, else `<client name>-<ulid>`, fixed at first use. */
  id(): string;
  /** The labels naming the client (none before it said who it is). */
  labels(): Record<string, string>;
}

/** `clientInfo` is asked lazily: the client names itself in `initialize`, after the server was built. */
export function createSession(fixed: string | undefined, clientInfo: () => ClientInfo | undefined): Session {
  let id = fixed;
  return {
    id() {
      id ??= generatedId(clientInfo());
      return id;
    },
    labels(): Record<string, string> {
      const client = clientInfo();
      return client ? { [CLIENT_LABEL]: client.name, [CLIENT_VERSION_LABEL]: client.version } : {};
    },
  };
}

function generatedId(client: ClientInfo | undefined): string {
  const name = (client?.name ?? '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40) || 'mcp';
  return `${name}-${ulidGenerator().next().toLowerCase()}`;
}
