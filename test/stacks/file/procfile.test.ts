import { describe, expect, it } from 'vitest';
import { parseProcfile } from '../../../src/stacks/file/procfile.js';

describe('Procfile', () => {
  it('one shell process per line, comments and blank lines skipped', () => {
    expect(parseProcfile('# dev\nweb: bundle exec rails s -p $PORT\n\nworker:   node worker.js\n', 'Procfile')).toEqual({
      processes: { web: { command: 'bundle exec rails s -p $PORT', shell: true }, worker: { command: 'node worker.js', shell: true } },
    });
  });

  it('names the line that is not "name: command"', () => {
    expect(() => parseProcfile('web: x\nnot a process\n', 'Procfile')).toThrow('Procfile:2: expected "name: command", got "not a process"');
    expect(() => parseProcfile('', 'Procfile')).toThrow('no processes');
  });
});
