/** The query strings the CLI and the MCP server put on their requests to the daemon. */
import { describe, expect, it } from 'vitest';
import { encodeListQuery, queryString, searchString } from '../../src/daemon/list-query.js';

describe('query strings', () => {
  it('leaves undefined parameters out, keeps 0 and empty strings, and escapes values', () => {
    expect(queryString({ stream: 'stderr', n: 0, attempt: undefined, from: '' })).toBe('?stream=stderr&n=0&from=');
    expect(queryString({ run: 'a b&c=d' })).toBe('?run=a+b%26c%3Dd');
  });

  it('is empty, without a "?", when nothing is given', () => {
    expect(queryString({})).toBe('');
    expect(queryString({ anchor: undefined })).toBe('');
    expect(searchString(new URLSearchParams())).toBe('');
  });

  it('puts a list query after one "?"', () => {
    expect(searchString(encodeListQuery({ all: true, status: ['running', 'failed'], label: { team: 'a' } }))).toBe(
      '?all=1&status=running%2Cfailed&label=team%3Da',
    );
  });
});
