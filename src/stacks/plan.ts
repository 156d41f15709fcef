/**
 * What `up` and `down` act on: a stack resolved from its file into process
 * instances (replicas expanded: `web.1`, `web.2`), each with a run spec and
 * the conditions it waits for. The CLI builds it from the file; the daemon
 * checks it again (graph.ts) before acting, since any client may send one.
 */
import type { RunSpecInput } from '../supervisor/spec.js';

export const CONDITIONS = ['started', 'ready', 'healthy', 'completed'] as const;
export type Condition = (typeof CONDITIONS)[number];

/** Labels that tie a run to its stack; `ps --stack NAME` filters on the first. */
export const STACK_LABEL = 'runledger.stack';
export const PROCESS_LABEL = 'runledger.process';
export const SPEC_HASH_LABEL = 'runledger.spec-hash';

export interface PlannedProcess {
  /** The instance name (`web`, or `web.2` for a replica): the run's name and its runledger.process label. */
  name: string;
  /** The process as written in the file (`web` for `web.1`…`web.N`). */
  group: string;
  spec: RunSpecInput;
  /** Instance name -> what must hold before this one starts. */
  dependsOn: Record<string, Condition>;
}

export interface StackPlan {
  name: string;
  /** Absolute path of the file it came from. */
  file: string;
  processes: PlannedProcess[];
}

export interface StackReport {
  stack: string;
  file: string;
  specHash: string;
  started: string[];
  restarted: string[];
  stopped: string[];
  unchanged: string[];
}
