/**
 * Where anchors live: outside the LevelDB directory, so replacing or editing
 * the ledger leaves them behind. The checkpoint file defaults to the home
 * and can be put elsewhere (another disk, a synced folder) with
 * $RUNLEDGER_CHECKPOINTS; the key pair stays in the home.
 */
import { join, resolve } from 'node:path';

export interface AnchorPaths {
  checkpoints: string;
  privateKey: string;
  publicKey: string;
}

export const CHECKPOINTS_ENV = 'RUNLEDGER_CHECKPOINTS';

export function anchorPaths(home: string, env: NodeJS.ProcessEnv = process.env, checkpoints?: string): AnchorPaths {
  const given = checkpoints ?? (env[CHECKPOINTS_ENV] || undefined);
  return {
    checkpoints: given ? resolve(given) : join(home, 'checkpoints.ndjson'),
    privateKey: join(home, 'anchor-key.pem'),
    publicKey: join(home, 'anchor-key.pub.pem'),
  };
}
