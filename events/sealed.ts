/**
 * A personal value as it is stored: encrypted with its data subject's key (crypto-shredding).
 * `subject` names the key, never the person; `nonce` and `ciphertext` are base64. Once the
 * subject's key is destroyed the value can never be read again, wherever a copy went.
 */
export type Sealed = Readonly<{ subject: string; nonce: string; ciphertext: string }>;

/** The data subject of a session: its pseudonymous user within its tenant. */
export const subjectOf = (tenantId: string, userId: string): string => `${tenantId}/${userId}`;
