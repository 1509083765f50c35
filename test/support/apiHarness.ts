import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { defaultFlow, type Flow } from '../../events/onboarding/flows';
import { createJwtVerifier, signToken, type Principal, type Role } from '../../infra/auth/jwt';
import { loadConfig, type Config } from '../../infra/config/loadConfig';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { createFieldCipher } from '../../infra/privacy/fieldCipher';
import type { SubjectKeyStore } from '../../infra/privacy/keyStore';
import { createMemoryKeyStore } from '../../infra/privacy/memoryKeyStore';
import { createMemoryRateLimiter } from '../../infra/rateLimit/memoryRateLimiter';
import type { RateLimiter } from '../../infra/rateLimit/rateLimiter';
import { noResponseCache, type ResponseCache } from '../../infra/redis/responseCache';
import { createMemorySnapshotStore } from '../../infra/snapshots/memorySnapshotStore';
import { createLocalFileStorage } from '../../infra/storage/localFileStorage';
import { reencodeImage } from '../../infra/uploads/imageSanitizer';
import { createMemoryUploadQuota } from '../../infra/uploads/memoryUploadQuota';
import { sniffType } from '../../infra/uploads/sniffType';
import type { UploadLimits, UploadQuota } from '../../infra/uploads/uploadQuota';
import { composeApi } from '../../services/api/composeApi';
import type { HealthProbes } from '../../services/health/checkHealth';
import type { WorkerName } from '../../services/health/heartbeat';
import type { SnapshotTier } from '../../services/recovery/snapshotter';
import { withContractCheck } from './contractValidator';
import { lazyPgliteSqlClient } from './lazySqlClient';

/** The documented upload defaults (50 photos, 20 documents, 100 MiB per session; 10/min; 3 at
 * once), taken from the one place that defines them: the configuration with nothing set. */
export const testUploadLimits: UploadLimits = loadConfig({}).uploads.limits;

export const testAuth = {
  secret: 'test-secret-that-is-at-least-32-bytes-long!!',
  issuer: 'waymark',
  audience: 'waymark-api',
};

type RatePolicies = Config['rateLimit']['policies'];

/** The real app (all middleware, every feature, composeApi) over a given store, logs captured. */
export type TestAppOptions = Partial<{
  /** Environment the configuration is loaded from (nothing set: the documented defaults). */
  env: Readonly<Record<string, string>>;
  probes: HealthProbes;
  bodyLimitBytes: number;
  flows: Flow[];
  limiter: RateLimiter;
  uploadQuota: UploadQuota;
  policies: RatePolicies;
  keys: SubjectKeyStore;
  /** The database of the read models, DLQ, audit and risk models (default: in-memory PGlite). */
  sql: SqlClient;
  analyticsCache: ResponseCache;
  uploadLimits: UploadLimits;
  maxFileBytes: number;
  maxImagePixels: number;
  /** Snapshot tiers (default: one in-memory tier) and the recovery rules (default: config's). */
  snapshotTiers: SnapshotTier[];
  recoverySettings: Partial<Config['recovery']>;
  clock: () => Date;
  /** Workers whose heartbeats health/ checks (default none). */
  expectedWorkers: WorkerName[];
  /** The token verifier (default: HS256 with testAuth). */
  verifyToken: (token: string) => Promise<Principal>;
}>;

/** The configuration with nothing set, and what a test changes of it. */
const testConfig = (options: TestAppOptions): Config => {
  const base = loadConfig({ ...options.env });
  return {
    ...base,
    // A small body limit, so the limit's edges are cheap to reach.
    http: { ...base.http, bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024 },
    rateLimit: { ...base.rateLimit, policies: options.policies ?? base.rateLimit.policies },
    uploads: {
      ...base.uploads,
      limits: options.uploadLimits ?? base.uploads.limits,
      maxFileBytes: options.maxFileBytes ?? base.uploads.maxFileBytes,
      maxImagePixels: options.maxImagePixels ?? base.uploads.maxImagePixels,
    },
    recovery: { ...base.recovery, ...options.recoverySettings },
    // Tests train or store a model and expect the next request to use it.
    risk: { ...base.risk, modelRefreshMs: 0 },
  };
};

/** The upload quota and the rate limiter: the test's, or fresh in-memory ones. */
const edgeDefaults = (options: TestAppOptions, config: Config) => ({
  uploadQuota: options.uploadQuota ?? createMemoryUploadQuota(config.uploads.limits),
  rateLimiter: options.limiter ?? createMemoryRateLimiter(`test-${randomUUID()}`),
});

/** Health probes of a test app: its event store only. */
const eventStoreProbeOnly = (eventStore: EventStore): HealthProbes => ({
  event_store: () => eventStore.ping(),
  database: null,
  kafka: null,
  redis: null,
});

export const buildTestApp = (eventStore: EventStore, options: TestAppOptions = {}) => {
  const { logLines, logger } = capturedLogs();
  const metrics = createMetrics(undefined, false);
  const storageDir = path.join(tmpdir(), `waymark-test-uploads-${randomUUID()}`);
  mkdirSync(path.join(storageDir, 'quarantine'), { recursive: true });
  const storage = createLocalFileStorage(storageDir);
  const keys = options.keys ?? createMemoryKeyStore();
  const config = testConfig(options);
  const { app } = composeApi(config, {
    logger,
    metrics,
    clock: options.clock ?? (() => new Date()),
    newId: () => randomUUID(),
    sql: options.sql ?? lazyPgliteSqlClient(),
    eventStore,
    verifyToken: options.verifyToken ?? createJwtVerifier(testAuth),
    flows: new Map((options.flows ?? [defaultFlow]).map((f) => [f.id, f])),
    keys,
    storage,
    ...edgeDefaults(options, config),
    snapshotTiers: options.snapshotTiers ?? [
      { name: 'memory', store: createMemorySnapshotStore(3600) },
    ],
    responseCache: options.analyticsCache ?? noResponseCache,
    sniffType,
    reencodeImage,
    probes: options.probes ?? eventStoreProbeOnly(eventStore),
    topicEnds: null,
    expectedWorkers: options.expectedWorkers ?? [],
  });
  return {
    // Every response is checked against the OpenAPI document (contractValidator.ts).
    app: withContractCheck(app),
    bareApp: app,
    logLines,
    metrics,
    storage,
    storageDir,
    keys,
    cipher: createFieldCipher(keys),
  };
};

/** A debug-level logger whose lines are kept for inspection. */
const capturedLogs = () => {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
      done();
    },
  });
  return { logLines, logger: createLogger('debug', sink) };
};

export const tokenFor = (
  role: Role,
  tenantId = 'tenant-a',
  subject = `${role}-1`,
  expiresIn: string | number = '5m',
) => signToken(testAuth, { role, tenantId, subject }, expiresIn);

export const bearer = async (role: Role, tenantId?: string, subject?: string) =>
  `Bearer ${await tokenFor(role, tenantId, subject)}`;

/** Tokens that must be refused: unsigned, expired, wrong audience or issuer, weak algorithm. */
export const badTokens = async () => {
  const key = new TextEncoder().encode(testAuth.secret);
  const claims = { tenant_id: 'tenant-a', role: 'admin' };
  const base = () =>
    new SignJWT(claims).setSubject('admin-1').setIssuedAt().setExpirationTime('5m');
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return {
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: 'admin-1', iss: testAuth.issuer, aud: testAuth.audience, exp: now + 300 })}.`,
    expired: await signToken(
      testAuth,
      { role: 'admin', tenantId: 'tenant-a', subject: 'admin-1' },
      now - 10,
    ),
    wrongAudience: await base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(testAuth.issuer)
      .setAudience('other')
      .sign(key),
    wrongIssuer: await base()
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('evil')
      .setAudience(testAuth.audience)
      .sign(key),
    hs512: await base()
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuer(testAuth.issuer)
      .setAudience(testAuth.audience)
      .sign(key),
  };
};
