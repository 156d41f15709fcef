import { describe, expect, it } from 'vitest';
import { crontabLine, renderUnit, unitName } from '../../../src/cli/boot/unit.js';

const base = {
  node: '/usr/bin/node',
  bin: '/opt/runledger/bin/runledger.cjs',
  home: '/home/ana/.local/state/runledger',
  defaultHome: true,
};

describe('renderUnit', () => {
  it('a user unit starts the daemon in the foreground, restarts on failure and leaves the children to the next daemon', () => {
    const unit = renderUnit({ ...base, scope: 'user' });
    expect(unit).toContain(
      'ExecStart=/usr/bin/node /opt/runledger/bin/runledger.cjs daemon start --foreground --home /home/ana/.local/state/runledger',
    );
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^KillMode=process$/m);
    expect(unit).toMatch(/^WantedBy=default.target$/m);
    expect(unit).not.toMatch(/^User=/m);
  });

  it('a system unit runs as the given account and is wanted by multi-user.target', () => {
    const unit = renderUnit({ ...base, scope: 'system', user: 'ana' });
    expect(unit).toMatch(/^User=ana$/m);
    expect(unit).toMatch(/^WantedBy=multi-user.target$/m);
  });

  it('quotes paths with spaces and doubles % so systemd reads them back unchanged', () => {
    const unit = renderUnit({ ...base, scope: 'user', home: '/tmp/my home/100%', defaultHome: false });
    expect(unit).toContain('--home "/tmp/my home/100%%"');
  });
});

describe('unitName', () => {
  it('is runledger.service for the default home and distinct per other home', () => {
    expect(unitName('/x/runledger', true)).toBe('runledger.service');
    const a = unitName('/tmp/a/state', false);
    const b = unitName('/tmp/b/state', false);
    expect(a).toMatch(/^runledger-state-[0-9a-f]{6}\.service$/);
    expect(a).not.toBe(b);
  });
});

it('crontabLine starts the daemon at reboot with shell quoting', () => {
  expect(crontabLine({ ...base, home: "/tmp/it's" })).toBe(
    `@reboot /usr/bin/node /opt/runledger/bin/runledger.cjs daemon start --home '/tmp/it'\\''s'`,
  );
});
