/** One event as one line for people: position, time, type, run, words (the same words as a timeline). */
import type { EventEnvelope } from '../../events/envelope.js';
import { shortIdOf } from '../../projections/short-id.js';
import { describeEvent } from '../../projections/timeline-text.js';
import type { Style } from './style.js';

/**
 * A stream's width is not known when its first line is printed: positions are
 * padded to 8 characters (#9999999), so columns stay put up to ten million events.
 */
const POSITION_WIDTH = 8;

export function renderEventLine(e: EventEnvelope, style: Style): string {
  const run = e.streamId.startsWith('run-') ? shortIdOf(e.streamId.slice(4)) : e.streamId;
  return `${style.dim(`#${e.position}`.padEnd(POSITION_WIDTH))}  ${style.dim(e.time)}  ${e.type.padEnd(18)}  ${style.bold(run.padEnd(10))}  ${describeEvent(e)}`;
}
