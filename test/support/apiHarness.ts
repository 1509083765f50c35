import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { SignJWT } from 'jose';
import { buildApp, type AppDeps } from '../../services/api/app';
import { createCommandHandler } from '../../services/commands/handleCommand';
import { createStartSession } from '../../services/commands/startSession';
import { defaultFlow, type Flow } from '../../events/onboarding/flows';
import { createJwtVerifier, signToken, type Role } from '../../infra/auth/jwt';
import type { EventStore } from '../../infra/eventStore/eventStore';
import { createLogger } from '../../infra/observability/logger';
import { createMetrics } from '../../infra/observability/metrics';
import type { HealthProbes } from '../../services/api/routes/health';
import { createRateLimit } from '../../services/api/middleware/rateLimit';
import { createMemoryRateLimiter } from '../../infra/rateLimit/memoryRateLimiter';
import type { RateLimiter } from '../../infra/rateLimit/rateLimiter';
import { createLocalFileStorage } from '../../infra/storage/localFileStorage';
import { reencodeImage } from '../../infra/uploads/imageSanitizer';
import { sniffType } from '../../infra/uploads/sniffType';
import { createMemoryUploadQuota } from '../../infra/uploads/memoryUploadQuota';
import type { UploadLimits, UploadQuota } from '../../infra/uploads/uploadQuota';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The documented upload defaults: 50 photos, 20 documents, 100 MiB per session; 10/min; 3 at once. */
export const testUploadLimits: UploadLimits = {
  maxPhotosPerSession: 50,
  maxDocumentsPerSession: 20,
  maxBytesPerSession: 100 * 1024 * 1024,
  maxPhotosPerMinute: 10,
  maxConcurrentUploads: 3,
  leaseSeconds: 900,
};

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
export const buildTestApp = (
  eventStore: EventStore,
  options: Partial<{
    probes: HealthProbes;
    bodyLimitBytes: number;
    flows: Flow[];
    dlq: AppDeps['dlq'];
    limiter: RateLimiter;
    uploadQuota: UploadQuota;
    policies: typeof testPolicies;
    uploadLimits: UploadLimits;
    maxFileBytes: number;
    maxImagePixels: number;
  }> = {},
) => {
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
  const logger = createLogger('debug', sink);
  const metrics = createMetrics(undefined, false);
  const newId = () => randomUUID();
  const handle = createCommandHandler({ eventStore, newId });
  const storageDir = path.join(tmpdir(), `waymark-test-uploads-${randomUUID()}`);
  mkdirSync(path.join(storageDir, 'quarantine'), { recursive: true });
  const uploadLimits = options.uploadLimits ?? testUploadLimits;
  const storage = createLocalFileStorage(storageDir);
  const flows = new Map((options.flows ?? [defaultFlow]).map((f) => [f.id, f]));
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
    uploads: {
      quota: options.uploadQuota ?? createMemoryUploadQuota(uploadLimits),
      storage,
      limits: uploadLimits,
      maxFileBytes: options.maxFileBytes ?? 10 * 1024 * 1024,
      maxImagePixels: options.maxImagePixels ?? 50_000_000,
      metrics,
      newId,
      sniffType,
      reencodeImage,
    },
    sessions: {
      limit: createRateLimit({
        limiter: options.limiter ?? createMemoryRateLimiter(`test-${randomUUID()}`),
        metrics,
        policies: options.policies ?? testPolicies,
        criticalResources: ['session_start', 'uploads'],
      }),
      eventStore,
      handle,
      startSession: createStartSession({ eventStore, handle, newId }),
      flows,
      clock: () => new Date(),
      maxEventsPerRequest: 100,
    },
  });
  return { app, logLines, metrics, storage, storageDir };
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
