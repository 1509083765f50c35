import { ConfigError, loadConfig } from '../../../infra/config/loadConfig';

describe('loadConfig', () => {
  it('fills embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(8080);
    expect(config.database.url).toBeUndefined();
    expect(config.kafka.brokers).toBeUndefined();
    expect(config.kafka.topic).toBe('onboarding.events.v1');
    expect(config.eventStore.groupCommit).toEqual({ maxEvents: 200 });
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('switches parts to real services and parses lists', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db/x',
      KAFKA_BROKERS: 'a:1, b:2',
      RELAY_CATEGORIES: 'onboarding,other',
      APPEND_GROUP_COMMIT: 'false',
    });
    expect(config.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.relay.categories).toEqual(['onboarding', 'other']);
    expect(config.eventStore.groupCommit).toBe(false);
  });

  it('rejects invalid values with the variable named, and production without a JWT secret', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ WAYMARK_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('reads the cluster-client settings: Kafka TLS and SCRAM, Redis Sentinel or Cluster, a read replica', () => {
    const config = loadConfig({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/etc/ca.pem',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'waymark',
      KAFKA_SASL_PASSWORD: 'secret',
      REDIS_SENTINELS: 's1:26379, s2:26380',
      REDIS_SENTINEL_MASTER: 'waymark',
      DATABASE_READ_URL: 'postgres://replica/x',
    });
    expect(config.kafka.security).toEqual({
      ssl: true,
      caFile: '/etc/ca.pem',
      sasl: { mechanism: 'scram-sha-512', username: 'waymark', password: 'secret' },
    });
    expect(config.redis.sentinels).toEqual([
      { host: 's1', port: 26379 },
      { host: 's2', port: 26380 },
    ]);
    expect(config.redis.sentinelMaster).toBe('waymark');
    expect(config.database.readUrl).toBe('postgres://replica/x');
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'n1:7000' }).redis.clusterNodes).toEqual([
      { host: 'n1', port: 7000 },
    ]);
    const plain = loadConfig({});
    expect(plain.kafka.security).toEqual({ ssl: false, caFile: undefined, sasl: undefined });
    expect(plain.redis.sentinels).toBeUndefined();
    expect(plain.database.readUrl).toBeUndefined();
  });

  it('refuses cluster-client settings that cannot work', () => {
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toThrow(
      /KAFKA_SASL_USERNAME/,
    );
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(() => loadConfig({ REDIS_SENTINELS: 'nohost' })).toThrow(/host:port/);
    expect(() => loadConfig({ REDIS_SENTINELS: 'a:1', REDIS_CLUSTER_NODES: 'b:2' })).toThrow(
      /not both/,
    );
  });

  it('reads the identity provider settings and refuses the ones that cannot be trusted', () => {
    const kek = Buffer.alloc(32, 7).toString('base64');
    const url = 'https://idp.example.com/.well-known/jwks.json';
    const idp = loadConfig({
      WAYMARK_ENV: 'production',
      PRIVACY_KEK: kek,
      JWT_JWKS_URL: url,
      JWT_JWKS_ALGORITHMS: 'ES256,RS256',
      JWT_TENANT_CLAIM: 'org_id',
    });
    expect(idp.auth).toMatchObject({
      secret: undefined,
      tenantClaim: 'org_id',
      roleClaim: 'role',
      jwks: { url, algorithms: ['ES256', 'RS256'], cacheSeconds: 600, cooldownSeconds: 30 },
    });
    expect(loadConfig({}).auth.jwks).toBeUndefined();
    expect(() =>
      loadConfig({ WAYMARK_ENV: 'production', PRIVACY_KEK: kek, JWT_JWKS_URL: 'http://idp/jwks' }),
    ).toThrow(/https/);
    expect(() => loadConfig({ JWT_JWKS_URL: url, JWT_JWKS_ALGORITHMS: 'HS256' })).toThrow(
      /JWT_JWKS_ALGORITHMS/,
    );
    expect(() => loadConfig({ JWT_JWKS_URL: 'file:///etc/keys' })).toThrow(/JWT_JWKS_URL/);
  });
});
