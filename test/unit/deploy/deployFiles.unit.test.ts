import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The deployment files, checked offline (no Docker engine or cluster here):
 * - the Compose file through `docker-compose config` (Debian's docker-compose client: it parses,
 *   interpolates and validates against the Compose schema without an engine);
 * - every Kubernetes manifest against the Kubernetes JSON schemas (kubernetes-models' validators,
 *   generated from the Kubernetes OpenAPI spec), plus the rules this project sets for them.
 */
const deploy = path.resolve(__dirname, '../../../infra/deploy');
/** Where docker-compose is found (the test's own PATH; nothing else of the environment). */
const searchPath = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
].join(':');

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
};
type Container = {
  name: string;
  resources?: { requests?: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
};

const manifests = (): Manifest[] =>
  readdirSync(path.join(deploy, 'k8s'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(readFileSync(path.join(deploy, 'k8s', f), 'utf8')).map((d) => {
        if (d.errors.length > 0) throw new Error(`${f}: ${d.errors[0]?.message}`);
        return d.toJS() as Manifest;
      }),
    );

/**
 * The kubernetes-models module of an apiVersion and kind ("apps/v1" Deployment →
 * apps/v1/Deployment.js). The package is ESM with import-only exports, which Jest's resolver
 * does not follow, so it is imported by file path.
 */
const models = path.dirname(require.resolve('kubernetes-models/package.json'));
const validatorOf = async (m: Manifest) => {
  const file = path.join(models, m.apiVersion, `${m.kind}.js`);
  const mod = (await import(file)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[m.kind];
  if (Model === undefined) throw new Error(`no schema for ${m.apiVersion} ${m.kind}`);
  return (data: unknown) => new Model(data).validate();
};

const podContainers = (m: Manifest): Container[] => {
  const template = (m.spec?.template ?? {}) as { spec?: { containers?: Container[] } };
  return template.spec?.containers ?? [];
};

describe('deployment files', () => {
  it('the Compose file is valid for docker-compose (config, offline)', () => {
    const found = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
    if (found.error)
      throw new Error(
        'docker-compose is not installed (apt-get install docker-compose; test/run.sh does it)',
      );
    const env = { PATH: searchPath, JWT_SECRET: 'test-secret', PRIVACY_KEK: 'test-kek' };
    const file = path.join(deploy, 'compose.yaml');
    const config = execFileSync('docker-compose', ['-f', file, 'config'], {
      env,
      encoding: 'utf8',
    });
    for (const service of [
      'postgres',
      'redis',
      'kafka',
      'migrate',
      'api',
      'relay',
      'projector',
      'detector',
      'prometheus',
      'grafana',
    ])
      expect(config).toContain(`\n  ${service}:\n`);
    // Without the secrets it refuses, rather than starting with generated per-process keys.
    const refused = spawnSync('docker-compose', ['-f', file, 'config', '-q'], {
      env: { PATH: searchPath },
      encoding: 'utf8',
    });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('JWT_SECRET');
  });

  it('the Dockerfile is multi-stage, Node 24, non-root, production dependencies, with a health check', () => {
    const text = readFileSync(path.join(deploy, 'Dockerfile'), 'utf8');
    const froms = text.match(/^FROM .*/gm) ?? [];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    froms.forEach((f) => expect(f).toMatch(/^FROM node:24[-.\w]* AS \w+/));
    expect(text).toMatch(/^RUN npm ci --omit=dev/m);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^HEALTHCHECK /m);
    expect(text).toMatch(/^COPY --from=deps /m);
  });

  it('every Kubernetes manifest passes the Kubernetes JSON schema', async () => {
    const all = manifests();
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const m of all) {
      const validate = await validatorOf(m);
      expect(() => validate(m)).not.toThrow();
    }
  });

  it('the schema check has teeth: a wrong type or a missing field is refused', async () => {
    const api = manifests().find((m) => m.kind === 'Deployment');
    if (api === undefined) throw new Error('no Deployment');
    const validate = await validatorOf(api);
    expect(() => validate({ ...api, spec: { ...api.spec, replicas: 'two' } })).toThrow();
    expect(() => validate({ ...api, spec: { ...api.spec, selector: undefined } })).toThrow();
  });

  it('every Deployment has probes and resource requests; the API has a PDB and an HPA', () => {
    const all = manifests();
    const deployments = all.filter((m) => m.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([
      'waymark-api',
      'waymark-detector',
      'waymark-projector',
      'waymark-relay',
    ]);
    for (const d of deployments)
      for (const c of podContainers(d)) {
        expect({ d: d.metadata.name, ready: c.readinessProbe !== undefined }).toEqual({
          d: d.metadata.name,
          ready: true,
        });
        expect(c.livenessProbe).toBeDefined();
        expect(Object.keys(c.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      }
    const targets = (kind: string) =>
      all
        .filter((m) => m.kind === kind)
        .map((m) => JSON.stringify(m.spec?.scaleTargetRef ?? m.spec?.selector));
    expect(targets('HorizontalPodAutoscaler')).toEqual([
      JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'waymark-api' }),
    ]);
    expect(targets('PodDisruptionBudget')).toEqual([
      JSON.stringify({ matchLabels: { 'app.kubernetes.io/name': 'waymark-api' } }),
    ]);
  });
});
