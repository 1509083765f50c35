import { loadConfig } from '../../infra/config/loadConfig';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { buildApp, type AppDeps } from '../../services/api/app';
import { createCommandHandler } from '../../services/sessions/handleCommand';
import { createStartSession } from '../../services/sessions/startSession';
import { defaultFlow, type Flow } from '../../events/onboarding/flows';
import { createJwtVerifier, signToken, type Role } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics, type Metrics } from '../../infra/observability/metrics';
import type { FileStorage } from '../../infra/storage/fileStorage';
import type { HealthProbes } from '../../services/health/routes';
import { createRateLimit } from '../../services/api/middleware/rateLimit';
import { createRateLimitRecorder } from '../../services/sessions/rateLimitRecorder';
import { createMemoryRateLimiter } from '../../infra/rateLimit/memoryRateLimiter';
import type { RateLimiter } from '../../infra/rateLimit/rateLimiter';
import type { SqlClient } from '../../infra/postgres/sqlClient';
import { noResponseCache, type ResponseCache } from '../../infra/redis/responseCache';
import { createEraseSubject } from '../../services/privacy/eraseSubject';
import { liveSessionSummaryTable } from '../../projections/sessionSummary/sessionSummaryTable';
import { createFieldCipher } from '../../infra/privacy/fieldCipher';
import type { SubjectKeyStore } from '../../infra/privacy/keyStore';
import { createMemoryKeyStore } from '../../infra/privacy/memoryKeyStore';
import { createLocalFileStorage } from '../../infra/storage/localFileStorage';
import { reencodeImage } from '../../infra/uploads/imageSanitizer';
import { sniffType } from '../../infra/uploads/sniffType';
import { createMemoryUploadQuota } from '../../infra/uploads/memoryUploadQuota';
import type { UploadLimits, UploadQuota } from '../../infra/uploads/uploadQuota';
import { createMemorySnapshotStore } from '../../infra/snapshots/memorySnapshotStore';
import { createRestorer } from '../../services/recovery/restoreSession';
import { createModelRepository } from '../../services/risk/modelRepository';
import { createSnapshotter, type SnapshotTier } from '../../services/recovery/snapshotter';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The documented upload defaults (50 photos, 20 documents, 100 MiB per session; 10/min; 3 at
 * once), taken from the one place that defines them: the configuration with nothing set. */
export const testUploadLimits: UploadLimits = loadConfig({}).uploads.limits;

/** The documented defaults: standard 100 / 5 min, staff 500 / 5 min, critical 50 / hour. */
export const testPolicies = {
  standard: { name: 'standard', points: 100, durationSeconds: 300 },
  staff: { name: 'staff', points: 500, durationSeconds: 300 },
  critical: { name: 'critical', points: 50, durationSeconds: 3600 },
};

export const testAuth = {
  secret: 'test-secret-that-is-at-least-32-bytes-long!!',
  issuer: 'waymark',
  audience: 'waymark-api',
};

/** The real app (all middleware) over a given store, with logs captured for inspection. */
export type TestAppOptions = Partial<{
  probes: HealthProbes;
  bodyLimitBytes: number;
  flows: Flow[];
  dlq: AppDeps['dlq'];
  limiter: RateLimiter;
  uploadQuota: UploadQuota;
  policies: typeof testPolicies;
  keys: SubjectKeyStore;
  /** Enables export, erasure and the audit trail on this database. */
  privacySql: SqlClient;
  analyticsCache: ResponseCache;
  uploadLimits: UploadLimits;
  maxFileBytes: number;
  maxImagePixels: number;
  /** Snapshot tiers (default: one in-memory tier) and the recovery rules (default: config's). */
  snapshotTiers: SnapshotTier[];
  recoverySettings: Partial<NonNullable<AppDeps['recovery']>['settings']>;
  clock: () => Date;
}>;

export const buildTestApp = (eventStore: EventStore, options: TestAppOptions = {}) => {
  const { logLines, logger } = capturedLogs();
  const metrics = createMetrics(undefined, false);
  const newId = () => randomUUID();
  const handle = createCommandHandler({ eventStore, newId });
  const storageDir = path.join(tmpdir(), `waymark-test-uploads-${randomUUID()}`);
  mkdirSync(path.join(storageDir, 'quarantine'), { recursive: true });
  const storage = createLocalFileStorage(storageDir);
  const keys = options.keys ?? createMemoryKeyStore();
  const cipher = createFieldCipher(keys);
  const flows = new Map((options.flows ?? [defaultFlow]).map((f) => [f.id, f]));
  const privacySql = options.privacySql;
  const app = buildApp({
    logger,
    metrics,
    verifyToken: createJwtVerifier(testAuth),
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
    probes: options.probes ?? {
      event_store: () => eventStore.ping(),
      database: null,
      kafka: null,
      redis: null,
    },
    ...(options.dlq ? { dlq: options.dlq } : {}),
    ...(privacySql ? databaseDeps(privacySql, { eventStore, keys, storage }, options) : {}),
    uploads: testUploads(options, storage, metrics),
    recovery: testRecovery(eventStore, options),
    sessions: {
      cipher,
      limit: createRateLimit({
        limiter: options.limiter ?? createMemoryRateLimiter(`test-${randomUUID()}`),
        metrics,
        policies: options.policies ?? testPolicies,
        criticalResources: ['session_start', 'uploads'],
        onDenied: createRateLimitRecorder({
          eventStore,
          handle,
          clock: options.clock ?? (() => new Date()),
          logger,
          windowMs: 60_000,
        }),
      }),
      eventStore,
      handle,
      startSession: createStartSession({ eventStore, handle, newId }),
      flows,
      clock: options.clock ?? (() => new Date()),
      maxEventsPerRequest: 100,
    },
  });
  return { app, logLines, metrics, storage, storageDir, keys, cipher };
};

/** What needs a database: analytics, privacy (export, erasure, audit, replay) and risk. */
const databaseDeps = (
  sql: SqlClient,
  {
    eventStore,
    keys,
    storage,
  }: { eventStore: EventStore; keys: SubjectKeyStore; storage: FileStorage },
  options: TestAppOptions,
) => ({
  analytics: {
    sql,
    table: liveSessionSummaryTable,
    inactiveMinutes: 30,
    cache: options.analyticsCache ?? noResponseCache,
    cacheTtlSeconds: 300,
  },
  privacy: {
    sql,
    erase: createEraseSubject({
      keys,
      storage,
      sql,
      eventStore,
      sessionTable: liveSessionSummaryTable,
    }),
  },
  risk: { models: createModelRepository(sql, 0), candidateCap: 2000 },
});

/** Recovery with the configured defaults and in-memory snapshots unless a test gives tiers. */
const testRecovery = (eventStore: EventStore, options: TestAppOptions) => {
  const tiers = options.snapshotTiers ?? [
    { name: 'memory', store: createMemorySnapshotStore(3600) },
  ];
  return {
    restore: createRestorer({ eventStore, tiers }),
    snapshotter: createSnapshotter(tiers, () => new Date()),
    settings: { ...loadConfig({}).recovery, ...options.recoverySettings },
  };
};

/** Upload dependencies with the documented defaults, overridable per test. */
const testUploads = (
  options: TestAppOptions,
  storage: FileStorage,
  metrics: Metrics,
): NonNullable<AppDeps['uploads']> => {
  const limits = options.uploadLimits ?? testUploadLimits;
  return {
    quota: options.uploadQuota ?? createMemoryUploadQuota(limits),
    storage,
    limits,
    maxFileBytes: options.maxFileBytes ?? 10 * 1024 * 1024,
    maxImagePixels: options.maxImagePixels ?? 50_000_000,
    metrics,
    newId: () => randomUUID(),
    sniffType,
    reencodeImage,
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
