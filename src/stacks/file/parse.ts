/**
 * Read and validate a stack file. YAML (JSON is YAML too) is parsed with
 * node ranges, so every error names the file, the line and the path:
 * `runledger.yaml:12 processes.worker.dependsOn.web: expected started|ready|healthy|completed`.
 */
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, relative } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { RunledgerError } from '../../errors.js';
import { parseProcfile } from './procfile.js';
import { StackFileSchema, type StackFile } from './schema.js';

const MAX_REPORTED = 5;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export interface LoadedStack {
  file: string;
  /** How errors name the file: relative to the cwd when below it. */
  shown: string;
  stack: StackFile;
  /** The line of a path in the file (1-based), or of its nearest ancestor that exists; 1 for a Procfile. */
  lineOf(path: readonly (string | number)[]): number;
}

export function loadStackFile(file: string, cwd: string): LoadedStack {
  const rel = relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  const text = readFileSync(file, 'utf8');
  if (basename(file) === 'Procfile') return { file, shown, stack: parseProcfile(text, shown), lineOf: () => 1 };
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const parseError = doc.errors[0];
  if (parseError) {
    const line = parseError.linePos?.[0].line ?? 1;
    throw new RunledgerError('INVALID_STACK', `${shown}:${line}: ${parseError.message.split('\n')[0]}`, { file, line });
  }
  const value: unknown = doc.toJS();
  const lineOf = (path: readonly (string | number)[]) => lineIn(doc, counter, path);
  const problems = [...Value.Errors(StackFileSchema, value)].slice(0, MAX_REPORTED).map((e) => {
    const path = pointerParts(e.path);
    return {
      line: lineOf(path),
      path: dotted(path),
      message: e.schema.description ? `expected ${e.schema.description}` : e.message.toLowerCase(),
    };
  });
  const stack = value as StackFile;
  if (problems.length === 0)
    for (const name of Object.keys(stack.processes))
      if (!NAME.test(name))
        problems.push({
          line: lineOf(['processes', name]),
          path: dotted(['processes', name]),
          message: 'a process name is letters, digits, _ and -',
        });
  if (problems.length > 0) {
    const text = problems.map((p) => `${shown}:${p.line} ${p.path}: ${p.message}`).join('\n');
    throw new RunledgerError('INVALID_STACK', text, { file, problems });
  }
  return { file, shown, stack, lineOf };
}

/** The 1-based line where the node at `path` (or its nearest existing ancestor) starts. */
function lineIn(doc: Document, counter: LineCounter, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      // For an unknown key, point at the key itself: its pair's key node.
      const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : null;
      const pair = isMap(parent)
        ? parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === path[n - 1])
        : undefined;
      const start = pair && isNode(pair.key) && pair.key.range ? pair.key.range[0] : node.range[0];
      return counter.linePos(start).line;
    }
  }
  return 1;
}

function pointerParts(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `processes.worker.dependsOn.web`, `processes.web.args[0]`; the root is `$`. */
export function dotted(path: readonly (string | number)[]): string {
  if (path.length === 0) return '$';
  return path.reduce<string>(
    (acc, part) =>
      /^\d+$/.test(String(part))
        ? `${acc}[${part}]`
        : /^[A-Za-z_$][\w$-]*$/.test(String(part))
          ? `${acc}${acc ? '.' : ''}${part}`
          : `${acc}[${JSON.stringify(part)}]`,
    '',
  );
}
