/**
 * The key store port of crypto-shredding: one 256-bit data key per data subject. `keyFor`
 * creates the key on first use; `find` never creates; `destroy` forgets it for good (erasure).
 */
export interface SubjectKeyStore {
  keyFor(subject: string): Promise<Buffer>;
  find(subject: string): Promise<Buffer | null>;
  destroy(subject: string): Promise<boolean>;
}
