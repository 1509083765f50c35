import { randomBytes } from 'node:crypto';
import { createPgKeyStore } from '../../infra/privacy/pgKeyStore';
import { keyStoreContract } from '../support/contracts/keyStoreContract';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase';

let db: TestDatabase;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db.drop());

keyStoreContract('PostgreSQL', () => Promise.resolve(createPgKeyStore(db.sql, randomBytes(32))));

describe('PostgreSQL key store at rest', () => {
  it('stores keys only wrapped: the table holds no raw key, and another KEK cannot unwrap', async () => {
    const kek = randomBytes(32);
    const keys = createPgKeyStore(db.sql, kek, 0);
    const raw = await keys.keyFor('t/at-rest');
    const rows = await db.sql.query<{ wrapped_key: string }>(
      "SELECT wrapped_key FROM waymark.subject_keys WHERE subject = 't/at-rest'",
    );
    expect(Buffer.from(rows[0]?.wrapped_key ?? '', 'base64').includes(raw)).toBe(false);
    await expect(createPgKeyStore(db.sql, randomBytes(32), 0).find('t/at-rest')).rejects.toThrow();
  });
});
