import { Client } from 'pg';
import { Kafka, logLevel } from 'kafkajs';
import { createPgSqlClient } from '../../infra/postgres/pgSqlClient';
import { migrate } from '../../infra/postgres/migrate';
import { readModelMigrationDirs } from '../../projections/migrations';
import { databaseUrl, testEnv } from './testEnv';
// kafkajs' negative-timeout warning: the same fix as the processes' clients.
import '../../infra/kafka/requestQueueTimerFix';

/**
 * Runs once per Jest run: checks that PostgreSQL and Kafka answer (failing loudly if not) and builds
 * a template database with Message DB and Waymark's migrations, which every test file clones.
 */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: testEnv.adminDatabaseUrl });
  await admin.connect().catch((error: unknown) => {
    throw new Error(`PostgreSQL is not reachable at ${testEnv.adminDatabaseUrl}: ${String(error)}`);
  });
  try {
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [testEnv.templateDatabase],
    );
    await admin.query(`DROP DATABASE IF EXISTS ${testEnv.templateDatabase}`);
    await admin.query(`CREATE DATABASE ${testEnv.templateDatabase}`);
  } finally {
    await admin.end();
  }
  const sql = createPgSqlClient({
    connectionString: databaseUrl(testEnv.templateDatabase),
    maxConnections: 1,
    applicationName: 'waymark-test-setup',
  });
  try {
    await migrate(sql, readModelMigrationDirs);
  } finally {
    await sql.close();
  }
  const kafka = new Kafka({
    brokers: testEnv.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect().catch((error: unknown) => {
    throw new Error(
      `Kafka is not reachable at ${testEnv.kafkaBrokers.join(',')} (run via npm test): ${String(error)}`,
    );
  });
  await kafkaAdmin.disconnect();
}
