import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const monitoringDir = path.resolve(__dirname, '../../infra/monitoring');
export const alertRules = path.join(monitoringDir, 'rules/alerts.yml');
export const recordingRules = path.join(monitoringDir, 'rules/recording.yml');

/** Runs promtool; resolves with its exit code and output (stdout + stderr), never rejects. */
export const promtool = (args: readonly string[], stdin?: string) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    const child = execFile('promtool', args, { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
        output: `${stdout}${stderr}`,
      }),
    );
    child.stdin?.end(stdin ?? '');
  });

/** Samples of an exposition body whose metric name is one of `names` (comments skipped). */
const samplesOf = (body: string, names: ReadonlySet<string>) =>
  body
    .split('\n')
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && names.has(m[1] ?? ''))
    .map((m) => ({ series: `${m[1]}${m[2] ?? ''}`, value: m[3] ?? 'NaN' }));

/**
 * Does `alertName` fire on these scraped metrics? The scraped samples become promtool input
 * series held constant for two hours, and the rule file (the real one unless `rulesFile`) is
 * evaluated after the alert's `for`. The test file expects silence: promtool passing means the
 * alert stayed silent, failing with the alert in its "got" list means it fired.
 */
export const alertFiresOn = async (
  scraped: string,
  alertName: string,
  rulesFile = alertRules,
): Promise<boolean> => {
  const names = new Set(
    [...readFileSync(rulesFile, 'utf8').matchAll(/[a-z_][a-z0-9_]*/g)].map((m) => m[0]),
  );
  const series = samplesOf(scraped, names);
  const dir = mkdtempSync(path.join(tmpdir(), 'waymark-promtool-'));
  const file = path.join(dir, 'scraped.test.yml');
  const test = {
    rule_files: [rulesFile, recordingRules],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: series.map((s) => ({ series: s.series, values: `${s.value}x120` })),
        alert_rule_test: [{ eval_time: '119m', alertname: alertName, exp_alerts: [] }],
      },
    ],
  };
  writeFileSync(file, JSON.stringify(test)); // JSON is YAML
  const { code, output } = await promtool(['test', 'rules', file]);
  if (code === 0) return false;
  if (output.includes(`alertname="${alertName}"`)) return true;
  throw new Error(`promtool test rules failed:\n${output}`);
};

/** A copy of the alert rules with one threshold changed (the substitution must hit once). */
export const rulesWith = (from: string, to: string): string => {
  const rules = readFileSync(alertRules, 'utf8');
  if (rules.split(from).length !== 2) throw new Error(`"${from}" is not once in ${alertRules}`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'waymark-rules-')), 'alerts.yml');
  writeFileSync(file, rules.replace(from, to));
  return file;
};
