/**
 * Heads committed by other processes, pushed by LISTEN/NOTIFY (every fleet
 * write notifies `position:hash` at commit). A notification is lost while
 * the listening connection is down, so after each (re)connect the head is
 * read once: a subscriber never waits on a notification it missed.
 */
import type pg from 'pg';
import { pgLib } from './pg-client.js';
import type { Head } from '../store/event-store.js';
import { FLEET_SCHEMA as S } from './schema.js';

export const HEAD_CHANNEL = 'runledger_head';
const RECONNECT_MS = 500;

export function watchFleetHead(url: string, pool: pg.Pool, onHead: (head: Head) => void): () => Promise<void> {
  let stopped = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;

  const parse = (payload: string | undefined) => {
    const [position, hash] = (payload ?? '').split(':');
    if (position && hash) onHead({ position: Number(position), hash });
  };
  const retry = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, RECONNECT_MS);
    timer.unref();
  };
  async function connect(): Promise<void> {
    const c = new pgLib.Client({ connectionString: url });
    client = c;
    c.on('error', () => {
      c.end().catch(() => undefined);
      retry();
    });
    c.on('notification', (n) => parse(n.payload));
    try {
      await c.connect();
      await c.query(`LISTEN ${HEAD_CHANNEL}`);
      if (stopped) return void (await c.end());
      const { rows } = await pool.query<{ position: string; hash: string }>(`SELECT position, hash FROM ${S}.head`);
      if (rows[0]) onHead({ position: Number(rows[0].position), hash: rows[0].hash });
    } catch {
      await c.end().catch(() => undefined);
      retry();
    }
  }
  void connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await client?.end().catch(() => undefined);
  };
}
