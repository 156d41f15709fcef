/**
 * The CLI's only door into src/daemon: home resolution, the client and the
 * lifecycle, each module loaded lazily so a query loads only what it uses.
 */
export type { DaemonPaths } from '../daemon/home.js';
export type { DaemonClient } from '../daemon/client.js';

export const loadHome = () => import('../daemon/home.js');
export const loadClient = () => import('../daemon/client.js');
export const loadLifecycle = () => import('../daemon/lifecycle.js');
