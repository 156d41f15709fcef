/**
 * `pg`, loaded so that it works in the daemon: node-navigator.ts runs first
 * (imports evaluate in order), so pg finds a `navigator` on its first
 * connection (why: node-navigator.ts). No top-level await, so the CLI's
 * CommonJS bundle can hold this module too.
 */
import './node-navigator.js';
import pg from 'pg';

export const pgLib = pg;
