import { describe, expect, it } from 'vitest';
import { redactSecret, redactUrl } from '../../src/fleet/redact-url.js';

describe('redactUrl', () => {
  it('hides the password of every URL in a text, keeps the rest', () => {
    expect(redactUrl('connect postgres://ann:pa%40ss@db:5432/x failed; postgresql://b:c@h/y')).toBe(
      'connect postgres://ann:***@db:5432/x failed; postgresql://b:***@h/y',
    );
    expect(redactUrl('postgres://ann@db/x')).toBe('postgres://ann@db/x');
  });
  it('also scrubs the bare password a driver message may echo', () =>
    expect(redactSecret('password authentication failed: pa@ss', 'postgres://ann:pa%40ss@db/x')).toBe(
      'password authentication failed: ***',
    ));
});
