import type { Config } from './config/loadConfig';
import { createKafka } from './kafka/createKafka';
import { createKafkaProbe } from './kafka/kafkaProbe';
import type { Logger } from './observability/logger';
import { createRedis, redisReady } from './redis/createRedis';

/** Kafka (health probe, lag) and Redis are optional: absent when their URLs are not set. */
export const optionalServices = async (config: Config, logger: Logger) => {
  const kafka = config.kafka.brokers
    ? createKafkaProbe(
        createKafka(
          { brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-api` },
          logger,
        ),
      )
    : null;
  const redis = config.redis.url
    ? createRedis(config.redis.url, config.redis.commandTimeoutMs)
    : null;
  redis?.on('error', () => undefined);
  if (redis && !(await redisReady(redis, 3_000))) {
    logger.warn('Redis not ready at start-up; the rate limiter falls back');
  }
  return { kafka, redis };
};
