/**
 * `daemon install|uninstall`: the unit systemd would load (checked by systemd-analyze where present), the
 * crontab fallback where systemd does not run (this container), and the install steps against a recording
 * systemctl (a container cannot boot systemd; the unit text itself is what systemd-analyze checks).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Home, isAlive } from './helpers.js';

const homes: Home[] = [];
const newHome = () => {
  const h = new Home();
  homes.push(h);
  return h;
};
afterEach(async () => {
  for (const h of homes.splice(0)) await h.cleanup();
});

const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

it.runIf(hasAnalyze)('the printed unit passes systemd-analyze verify (and a broken one would not)', async () => {
  const home = newHome();
  const r = await home.cli(['daemon', 'install', '--print']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^KillMode=process$/m);
  expect(r.stdout).toMatch(/^Restart=on-failure$/m);
  const verify = (text: string) => {
    const file = join(home.dir, 'runledger-check.service');
    writeFileSync(file, text);
    return spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  };
  const good = verify(r.stdout);
  expect(good.status).toBe(0);
  expect(good.stderr.trim()).toBe('');
  const bad = verify(r.stdout.replace('KillMode=process', 'KillMode=sometimes'));
  expect(bad.stderr).toMatch(/kill mode/i); // the check can fail
});

it('where systemd does not run, install says so and prints the crontab line (exit 1, BOOT_UNAVAILABLE)', async () => {
  const home = newHome();
  const env = { RUNLEDGER_SYSTEMD_RUNTIME_DIR: join(home.dir, 'no-systemd-here') };
  const r = await home.cli(['daemon', 'install'], { env });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('error [BOOT_UNAVAILABLE]');
  expect(r.stderr).toMatch(new RegExp(`@reboot \\S+ \\S+runledger\\.cjs daemon start --home ${home.dir}`));
  const j = await home.cli(['daemon', 'install', '--json'], { env });
  expect(JSON.parse(j.stderr).error.details.crontab).toMatch(/^@reboot /);
});

it('install writes the unit, reloads, hands a running daemon over, enables it; uninstall disables and removes it', async () => {
  const home = newHome();
  const sd = join(home.dir, 'sd');
  mkdirSync(join(sd, 'runtime'), { recursive: true });
  const calls = join(sd, 'calls.txt');
  const fake = join(sd, 'systemctl');
  writeFileSync(fake, `#!/bin/sh\necho "$*" >> '${calls}'\n`);
  chmodSync(fake, 0o755);
  const env = {
    RUNLEDGER_SYSTEMD_RUNTIME_DIR: join(sd, 'runtime'),
    RUNLEDGER_SYSTEMD_UNIT_DIR: join(sd, 'units'),
    RUNLEDGER_SYSTEMCTL: fake,
  };
  const run = await home.start(['--', 'sleep', '600']);
  const handPid = home.daemonPid();
  expect(handPid).not.toBeNull();

  const r = await home.json(['daemon', 'install'], { env });
  expect(r).toMatchObject({ scope: 'user', enabled: true, handedOver: true });
  expect(r.linger).toMatch(/^loginctl enable-linger /);
  const unit = readFileSync(r.path, 'utf8');
  expect(unit).toContain(`daemon start --foreground --home ${home.dir}`);
  expect(statSync(r.path).mode & 0o777).toBe(0o644);
  expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['--user daemon-reload', `--user enable --now ${r.name}`]);
  // The hand-started daemon is gone, its run is not: the unit's daemon (started here as systemd would) adopts it.
  expect(isAlive(handPid!)).toBe(false);
  expect(isAlive(run.attempts[0].pid)).toBe(true);
  const exec = unit.match(/^ExecStart=(.*)$/m)![1]!.split(' ');
  const started = await home.cli(['daemon', 'start', ...exec.slice(exec.indexOf('--home'))]);
  expect(started.code, started.stderr).toBe(0);
  const shown = await home.json(['show', run.id]);
  expect(shown.run.status).toBe('running');

  const u = await home.json(['daemon', 'uninstall'], { env });
  expect(u).toMatchObject({ removed: true, name: r.name });
  expect(existsSync(r.path)).toBe(false);
  expect(readFileSync(calls, 'utf8').trim().split('\n').slice(2)).toEqual([`--user disable --now ${r.name}`, '--user daemon-reload']);
  const again = await home.json(['daemon', 'uninstall'], { env });
  expect(again.removed).toBe(false);
});

it('--user and --system together are a usage error', async () => {
  const home = newHome();
  const r = await home.cli(['daemon', 'install', '--user', '--system', '--print']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('error [USAGE]');
});
