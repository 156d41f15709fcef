/**
 * Warnings on read answers: in the JSON value (`warnings`, only when there
 * are any) and one line each on stderr, for people and for scripts that
 * only read stdout alike.
 */
import { mergeWarnings, type LedgerWarning } from '../projections/warnings.js';
import type { ReadBackend } from './backend.js';
import type { CliContext } from './context.js';

/** The value with the backend's warnings and its own merged into `warnings`; printed on stderr. */
export function warned<T extends { warnings?: LedgerWarning[] }>(ctx: CliContext, backend: ReadBackend, value: T): T {
  const warnings = mergeWarnings(backend.warnings(), value.warnings);
  printWarnings(ctx, warnings);
  if (warnings.length === 0) return value;
  return { ...value, warnings };
}

export function printWarnings(ctx: CliContext, warnings: readonly LedgerWarning[]): void {
  for (const w of warnings) ctx.err.write(`runledger: warning: ${w.message}\n`);
}
