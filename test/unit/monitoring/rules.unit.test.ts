import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { alertRules, monitoringDir, promtool, recordingRules } from '../../support/promtool';

const alertNames = [...readFileSync(alertRules, 'utf8').matchAll(/- alert: (\w+)/g)].map(
  (m) => m[1] ?? '',
);

describe('alert and recording rules (promtool)', () => {
  it('promtool check rules accepts both rule files', async () => {
    const { code, output } = await promtool(['check', 'rules', alertRules, recordingRules]);
    expect(output).not.toContain('FAILED');
    expect(code).toBe(0);
  });

  it('promtool test rules: every alert fires on its failure and stays silent otherwise', async () => {
    const tests = path.join(monitoringDir, 'tests/alerts.test.yml');
    const { code, output } = await promtool(['test', 'rules', tests]);
    expect(output).toContain('SUCCESS');
    expect(code).toBe(0);
    const body = readFileSync(tests, 'utf8');
    // Each alert has a test expecting it and one expecting silence (exp_alerts: []).
    const cases = (name: string) => body.split(`alertname: ${name}\n`).slice(1);
    const untested = alertNames.filter(
      (name) =>
        !cases(name).some((c) => /^\s*exp_alerts:\s*\n\s*- exp_labels/.test(c)) ||
        !cases(name).some((c) => /^\s*exp_alerts: \[\]/.test(c)),
    );
    expect(untested).toEqual([]);
  });

  it('every alert names a runbook that exists', () => {
    const rules = readFileSync(alertRules, 'utf8');
    const urls = [...rules.matchAll(/runbook_url: (\S+)/g)].map((m) => m[1] ?? '');
    expect(urls).toHaveLength(alertNames.length);
    const root = path.resolve(monitoringDir, '../..');
    for (const url of urls) expect(existsSync(path.join(root, url))).toBe(true);
  });
});
