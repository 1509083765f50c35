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
});
