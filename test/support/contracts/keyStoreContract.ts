import { randomUUID } from 'node:crypto';
import type { SubjectKeyStore } from '../../../infra/privacy/keyStore';
import { createFieldCipher } from '../../../infra/privacy/fieldCipher';

/** The SubjectKeyStore contract (PostgreSQL and in-memory), through the field cipher. */
export const keyStoreContract = (name: string, open: () => Promise<SubjectKeyStore>) => {
  describe(`SubjectKeyStore contract: ${name}`, () => {
    it('creates one key per subject on first use and finds it again', async () => {
      const keys = await open();
      const subject = `t/${randomUUID()}`;
      expect(await keys.find(subject)).toBeNull();
      const [a, b] = await Promise.all([keys.keyFor(subject), keys.keyFor(subject)]);
      expect(a.length).toBe(32);
      expect(a.equals(b)).toBe(true);
      expect((await keys.find(subject))?.equals(a)).toBe(true);
    });

    it('seals and opens; after destroy nothing opens, and other subjects are untouched', async () => {
      const keys = await open();
      const cipher = createFieldCipher(keys);
      const [alice, bob] = [`t/${randomUUID()}`, `t/${randomUUID()}`];
      const secret = await cipher.seal(alice, 'my maiden name is Canary');
      const other = await cipher.seal(bob, 'bob');
      expect(secret.ciphertext).not.toContain('Canary');
      expect(await cipher.open(secret)).toBe('my maiden name is Canary');
      expect(await keys.destroy(alice)).toBe(true);
      expect(await cipher.open(secret)).toBeNull();
      expect(await cipher.open(other)).toBe('bob');
      expect(await keys.destroy(alice)).toBe(false);
    });

    it('refuses a sealed value moved to another subject (authenticated subject)', async () => {
      const keys = await open();
      const cipher = createFieldCipher(keys);
      const [alice, bob] = [`t/${randomUUID()}`, `t/${randomUUID()}`];
      await keys.keyFor(bob);
      const moved = { ...(await cipher.seal(alice, 'x')), subject: bob };
      await expect(cipher.open(moved)).rejects.toThrow();
    });
  });
};
