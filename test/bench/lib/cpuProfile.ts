import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where benchmarks keep CPU profiles (`node --cpu-prof`) and their summaries. */
export const profileDir = path.resolve(__dirname, '../../../bench-results/profiles');

/** Node flags that make a child write its CPU profile into profileDir when it exits. */
export const cpuProfFlags = (name: string) => {
  mkdirSync(profileDir, { recursive: true });
  return [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
    `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
  ];
};

type ProfileNode = Readonly<{
  id: number;
  callFrame: Readonly<{ functionName: string; url: string; lineNumber: number }>;
  hitCount?: number;
}>;
type Profile = Readonly<{
  nodes: readonly ProfileNode[];
  startTime: number;
  endTime: number;
  samples: readonly number[];
  timeDeltas: readonly number[];
}>;

/** Sample counts per node id, of the samples in the last `seconds` of the profile (the load). */
const hitsInWindow = (profile: Profile, seconds: number): Map<number, number> => {
  const from = profile.endTime - seconds * 1e6;
  const hits = new Map<number, number>();
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t >= from) hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  return hits;
};

/** A frame's area: the npm package, the project file, or V8/Node itself. */
const areaOf = (url: string): string => {
  if (url === '') return '(native: V8, GC, idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('node:')) return url;
  return path.relative(path.resolve(__dirname, '../../..'), url.replace(/^file:\/\//, ''));
};

const top = (totals: Map<string, number>, all: number, n: number) =>
  [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`);

/**
 * Self time by area and by function as shares of the busy (non-idle) samples of the last
 * `seconds` of the profile, so start-up (module loading) does not count; as text.
 */
export const summarizeProfile = (file: string, seconds: number): string => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const inWindow = hitsInWindow(profile, seconds);
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = inWindow.get(node.id) ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += hits;
      continue;
    }
    const area = areaOf(url);
    const fn = `${functionName || '(anonymous)'} ${area}:${lineNumber + 1}`;
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    all += hits;
  }
  return [
    `${path.basename(file)}: last ${seconds} s, ${all} busy samples, ${idle} idle`,
    'self time by area:',
    ...top(byArea, all, 20),
    'self time by function:',
    ...top(byFunction, all, 25),
  ].join('\n');
};

/** Summarises every profile of `name` in profileDir not yet summarised; returns the texts. */
export const summarizeProfiles = (name: string, seconds: number): string[] =>
  readdirSync(profileDir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.cpuprofile'))
    .filter((f) => !readdirSync(profileDir).includes(`${f}.txt`))
    .map((f) => {
      const text = summarizeProfile(path.join(profileDir, f), seconds);
      writeFileSync(path.join(profileDir, `${f}.txt`), `${text}\n`);
      return text;
    });
