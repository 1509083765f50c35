import { createPublicKey } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import request from 'supertest';
import { createJwtVerifier, type JwtSettings } from '../../../infra/auth/jwt';
import { resolveHmacSecret } from '../../../infra/auth/resolveSecret';
import { loadConfig } from '../../../infra/config/loadConfig';
import { createInMemoryEventStore } from '../../../infra/eventStore/inMemoryEventStore';
import { buildTestApp, testAuth } from '../../support/apiHarness';
import { idpToken, newIdpKey, startJwksServer, type IdpKey } from '../../support/jwksServer';

const base = '/api/v1/onboarding';
const issuer = 'https://idp.test';
const audience = 'waymark-api';
const claims = { tenant_id: 'tenant-a', role: 'admin' };
const cacheSeconds = 600;
const cooldownSeconds = 30;

/** The verifier's clock, moved by the tests (no sleeping): the key set's age and the cache's. */
const testClock = () => {
  let nowMs = Date.now();
  return { now: () => nowMs, advance: (seconds: number) => void (nowMs += seconds * 1000) };
};

type Server = Awaited<ReturnType<typeof startJwksServer>>;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const serve = async (keys: readonly IdpKey[]) => {
  const server = await startJwksServer(keys);
  servers.push(server);
  return server;
};

const settingsFor = (url: string, extra: Partial<JwtSettings> = {}): JwtSettings => ({
  issuer,
  audience,
  jwks: {
    url,
    algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
    cacheSeconds,
    cooldownSeconds,
    timeoutMs: 5_000,
  },
  ...extra,
});

/** 'ok' or the reason the verifier gave. */
const outcome = async (verify: (t: string) => Promise<unknown>, token: string) =>
  verify(token).then(
    () => 'ok',
    (error: { reason?: string }) => error.reason ?? 'threw',
  );

describe.each(['RS256', 'ES256', 'PS256', 'EdDSA'] as const)('JWKS rotation (%s)', (alg) => {
  it('stops honouring a removed key within the cache age, takes the new one, no restart', async () => {
    const [a, b] = await Promise.all([newIdpKey(alg, 'key-a'), newIdpKey(alg, 'key-b')]);
    const server = await serve([a]);
    const clock = testClock();
    const verify = createJwtVerifier(settingsFor(server.url), { now: clock.now });
    const cachedA = await idpToken(a, claims);
    await expect(verify(cachedA)).resolves.toEqual({
      subject: 'idp-user-1',
      tenantId: 'tenant-a',
      role: 'admin',
    });
    server.rotate([b]);
    // Within the bound the set fetched before rotation still answers: the documented window.
    expect(await outcome(verify, await idpToken(a, claims))).toBe('ok');
    clock.advance(cacheSeconds);
    expect(await outcome(verify, await idpToken(a, claims, { subject: 'fresh' }))).toBe('invalid');
    expect(await outcome(verify, cachedA)).toBe('invalid');
    expect(await outcome(verify, await idpToken(b, claims))).toBe('ok');
    expect(server.stats.fetches).toBe(2);
  });
});

describe('JWKS key set', () => {
  it('picks up a new kid once the cooldown has passed, and not before (one fetch per cooldown)', async () => {
    const [a, b] = await Promise.all([newIdpKey('ES256', 'key-a'), newIdpKey('ES256', 'key-b')]);
    const server = await serve([a]);
    const clock = testClock();
    const verify = createJwtVerifier(settingsFor(server.url), { now: clock.now });
    expect(await outcome(verify, await idpToken(a, claims))).toBe('ok');
    server.rotate([a, b]);
    const byB = await idpToken(b, claims);
    expect(await outcome(verify, byB)).toBe('invalid');
    expect(await outcome(verify, await idpToken(b, claims, { subject: 'other' }))).toBe('invalid');
    expect(server.stats.fetches).toBe(1);
    clock.advance(cooldownSeconds);
    expect(await outcome(verify, byB)).toBe('ok');
    expect(await outcome(verify, await idpToken(a, claims))).toBe('ok');
    expect(server.stats.fetches).toBe(2);
  });

  it('refuses a wrong issuer, a wrong audience, an expired token and an algorithm not configured', async () => {
    const rsa = await newIdpKey('RS256', 'key-r');
    const server = await serve([rsa]);
    const verify = createJwtVerifier(settingsFor(server.url));
    expect(await outcome(verify, await idpToken(rsa, claims))).toBe('ok');
    expect(await outcome(verify, await idpToken(rsa, claims, { issuer: 'https://evil' }))).toBe(
      'invalid',
    );
    expect(await outcome(verify, await idpToken(rsa, claims, { audience: 'other-api' }))).toBe(
      'invalid',
    );
    const expired = await idpToken(rsa, claims, { expiresIn: '-10s' });
    expect(await outcome(verify, expired)).toBe('expired');
    const onlyEs = createJwtVerifier({
      issuer,
      audience,
      jwks: {
        url: server.url,
        algorithms: ['ES256'],
        cacheSeconds,
        cooldownSeconds,
        timeoutMs: 5_000,
      },
    });
    expect(await outcome(onlyEs, await idpToken(rsa, claims))).toBe('invalid');
  });

  it('reads the tenant and the role from the configured claims', async () => {
    const key = await newIdpKey('ES256', 'key-c');
    const server = await serve([key]);
    const verify = createJwtVerifier(
      settingsFor(server.url, { tenantClaim: 'org_id', roleClaim: 'https://waymark/role' }),
    );
    const custom = await idpToken(key, { org_id: 'tenant-x', 'https://waymark/role': 'service' });
    await expect(verify(custom)).resolves.toMatchObject({ tenantId: 'tenant-x', role: 'service' });
    expect(await outcome(verify, await idpToken(key, claims))).toBe('invalid');
    expect(
      await outcome(
        verify,
        await idpToken(key, { org_id: 'tenant-x', 'https://waymark/role': 'root' }),
      ),
    ).toBe('invalid');
  });

  it('refuses alg none and an HS256 token signed with the public key (algorithm confusion)', async () => {
    const rsa = await newIdpKey('RS256', 'key-r');
    const server = await serve([rsa]);
    const jwksOnly = createJwtVerifier(settingsFor(server.url));
    const both = createJwtVerifier(settingsFor(server.url, { secret: testAuth.secret }));
    const pem = createPublicKey({ key: rsa.jwk, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const forged = (hmacKey: Uint8Array) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
        .setSubject('attacker')
        .setIssuer(issuer)
        .setAudience(audience)
        .setExpirationTime('1h')
        .sign(hmacKey);
    const withPem = await forged(new TextEncoder().encode(pem));
    const withJwkN = await forged(new TextEncoder().encode(String(rsa.jwk.n)));
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 300;
    const none = `${b64({ alg: 'none', kid: rsa.kid })}.${b64({ ...claims, sub: 'x', iss: issuer, aud: audience, exp })}.`;
    for (const verify of [jwksOnly, both]) {
      for (const token of [withPem, withJwkN, none]) {
        expect(await outcome(verify, token)).toBe('invalid');
      }
    }
    // HS256 with the real secret: only where JWT_SECRET is configured alongside the JWKS.
    const hs = await forged(new TextEncoder().encode(testAuth.secret));
    expect(await outcome(both, hs)).toBe('ok');
    expect(await outcome(jwksOnly, hs)).toBe('invalid');
  });

  it("is the identity provider's outage (not the token's fault) when the key set cannot be fetched", async () => {
    const key = await newIdpKey('ES256', 'key-d');
    const server = await serve([key]);
    const verify = createJwtVerifier(settingsFor(server.url));
    const token = await idpToken(key, claims);
    await server.close();
    await expect(verify(token)).rejects.toMatchObject({
      code: 'identity_provider_unavailable',
      dependency: 'identity_provider',
    });
  });
});

describe('the HS256 secret beside a JWKS', () => {
  it('is only an explicit JWT_SECRET: none is generated when a JWKS URL is set', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'waymark-hmac-'));
    const jwks = settingsFor('https://idp.test/jwks').jwks;
    await expect(resolveHmacSecret({ jwks }, dataDir)).resolves.toBeUndefined();
    await expect(resolveHmacSecret({ jwks, secret: testAuth.secret }, dataDir)).resolves.toBe(
      testAuth.secret,
    );
    await expect(resolveHmacSecret({}, dataDir)).resolves.toMatch(/^[\w-]{64}$/);
  });
});

describe('a JWKS-signed token through the API', () => {
  it('starts a session with an identity provider token configured from the environment', async () => {
    const key = await newIdpKey('RS256', 'key-api');
    const server = await serve([key]);
    const config = loadConfig({
      JWT_JWKS_URL: server.url,
      JWT_ISSUER: issuer,
      JWT_TENANT_CLAIM: 'org',
      JWT_ROLE_CLAIM: 'waymark_role',
    });
    const { app } = buildTestApp(createInMemoryEventStore(), {
      verifyToken: createJwtVerifier(config.auth),
    });
    const token = await idpToken(key, { org: 'tenant-idp', waymark_role: 'user' });
    const started = await request(app)
      .post(`${base}/conversation/start/`)
      .set('Authorization', `Bearer ${token}`)
      .send({});
    expect(started.status).toBe(201);
    const other = await newIdpKey('RS256', 'key-api');
    const refused = await request(app)
      .post(`${base}/conversation/start/`)
      .set(
        'Authorization',
        `Bearer ${await idpToken(other, { org: 'tenant-idp', waymark_role: 'user' })}`,
      )
      .send({});
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_token');
  });

  it('answers 503 identity_provider_unavailable with Retry-After while the key set is unreachable', async () => {
    const key = await newIdpKey('RS256', 'key-down');
    const server = await serve([key]);
    const config = loadConfig({ JWT_JWKS_URL: server.url, JWT_ISSUER: issuer });
    const { app } = buildTestApp(createInMemoryEventStore(), {
      verifyToken: createJwtVerifier(config.auth),
    });
    const token = await idpToken(key, claims);
    await server.close();
    const res = await request(app)
      .get(`${base}/analytics/funnel/`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('identity_provider_unavailable');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
