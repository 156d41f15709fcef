/**
 * `run [options] -- CMD`: catch the words commander would otherwise start as
 * a command. `run --timeout 5 minutes -- sleep 1` gives `--timeout 5` and
 * the positional words `minutes -- sleep 1`; without a check the run would be
 * of the command `minutes`. Two rules, both USAGE errors:
 * - when a `--` is present, the command is exactly what follows the first
 *   one; any word before it is stray;
 * - a unit word (`minutes`, `s`, `hours`…) right after the number of a
 *   duration flag is a duration typed with a space, whether or not `--` follows.
 */
import { usageError } from './failure.js';

const DURATION_FLAGS = new Set(['--timeout', '--ready-timeout', '--grace', '--min-uptime']);
const UNIT_OF: Record<string, string> = { ms: 'ms', s: 's', m: 'm', h: 'h', d: 'd' };
const UNIT_WORD = /^(ms|msecs?|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)$/i;

/** Throws USAGE for a stray word before `--` or a duration unit typed apart from its number. */
export function checkStrayWords(rawArgs: readonly string[], command: readonly string[]): void {
  if (command.length === 0) return;
  const split = splitDuration(rawArgs, command[0]!);
  if (split)
    throw usageError(`${split.flag} ${split.value} ${command[0]}: write the duration as one word: ${split.flag} ${split.suggestion}`, {
      flag: split.flag,
    });
  const dashes = rawArgs.indexOf('--');
  if (dashes === -1) return;
  const after = rawArgs.slice(dashes + 1);
  if (command.length <= after.length) return;
  const stray = command.slice(0, command.length - after.length - 1);
  if (stray.length === 0) return;
  throw usageError(
    `${stray.map((w) => JSON.stringify(w)).join(' ')} before \`--\` is not an option: runledger run [options] -- CMD [ARGS...]`,
    { stray },
  );
}

/** The duration flag whose number is followed by the unit word `word`, if that is how the line reads. */
function splitDuration(rawArgs: readonly string[], word: string): { flag: string; value: string; suggestion: string } | undefined {
  if (!UNIT_WORD.test(word)) return undefined;
  for (let i = 2; i < rawArgs.length; i++) {
    const flag = rawArgs[i - 2]!;
    const value = rawArgs[i - 1]!;
    if (rawArgs[i] === word && DURATION_FLAGS.has(flag) && /^\d+(\.\d+)?$/.test(value)) {
      const lower = word.toLowerCase();
      const unit = lower.startsWith('ms') || lower.startsWith('milli') ? 'ms' : UNIT_OF[lower[0]!]!;
      return { flag, value, suggestion: `${value}${unit}` };
    }
  }
  return undefined;
}
