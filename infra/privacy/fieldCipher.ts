import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Sealed } from '../../events/sealed';
import type { SubjectKeyStore } from './keyStore';

export type FieldCipher = Readonly<{
  seal(subject: string, clear: string): Promise<Sealed>;
  /** The clear text, or null when the subject's key is gone (erased). */
  open(sealed: Sealed): Promise<string | null>;
  /**
   * A keyed digest (HMAC-SHA-256 under a sub-key of the subject's key, 16 hex digits): equal
   * inputs give equal digests while the key exists, and nobody can test a guess once it is erased.
   */
  digest(subject: string, clear: string): Promise<string>;
}>;

/**
 * AES-256-GCM with the subject's data key; a fresh 96-bit nonce per value; the subject id is
 * authenticated data, so a sealed value cannot be passed off as another subject's.
 */
export const createFieldCipher = (keys: SubjectKeyStore): FieldCipher => ({
  async seal(subject, clear) {
    const key = await keys.keyFor(subject);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(subject));
    const body = Buffer.concat([cipher.update(clear, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { subject, nonce: nonce.toString('base64'), ciphertext: body.toString('base64') };
  },
  async digest(subject, clear) {
    const subKey = createHmac('sha256', await keys.keyFor(subject))
      .update('digest/v1')
      .digest();
    return createHmac('sha256', subKey).update(clear, 'utf8').digest('hex').slice(0, 16);
  },
  async open(sealed) {
    const key = await keys.find(sealed.subject);
    if (!key) return null;
    const body = Buffer.from(sealed.ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
    decipher.setAAD(Buffer.from(sealed.subject));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  },
});
