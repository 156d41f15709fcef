/**
 * A Procfile as a stack: `name: command line` per line, `#` comments. Each
 * command is a shell line (that is what a Procfile holds), so it runs through
 * /bin/sh -c — the user asked for a shell by writing a Procfile.
 */
import { RunledgerError } from '../../errors.js';
import type { StackFile } from './schema.js';

const LINE = /^([A-Za-z0-9_][A-Za-z0-9_-]*)\s*:\s*(.+)$/;

export function parseProcfile(text: string, shown: string): StackFile {
  const processes: StackFile['processes'] = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) throw invalid(`${shown}:${i + 1}: expected "name: command", got ${JSON.stringify(line)}`, shown, i + 1);
    if (processes[m[1]!]) throw invalid(`${shown}:${i + 1}: process ${m[1]} appears twice`, shown, i + 1);
    processes[m[1]!] = { command: m[2]!, shell: true };
  });
  if (Object.keys(processes).length === 0) throw invalid(`${shown}: no processes (expected lines "name: command")`, shown, 1);
  return { processes };
}

function invalid(message: string, file: string, line: number): RunledgerError {
  return new RunledgerError('INVALID_STACK', message, { file, line });
}
