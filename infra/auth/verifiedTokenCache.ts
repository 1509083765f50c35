export type Verified<P> = Readonly<{
  principal: P;
  /** The token's own `exp`: after it the token is expired, whatever signed it. */
  expiresAtMs: number;
  /** After this the token is verified again (≤ expiresAtMs; a JWKS key may have been removed). */
  recheckAtMs: number;
}>;

const cacheLimit = 10_000;

/**
 * Verified tokens by their exact string (an altered token is a different key), because a
 * signature check through WebCrypto costs more than the rest of a request. Bounded in size
 * (cleared when full) and in time: an entry answers until its recheck time, then the token is
 * verified again against the current keys.
 */
export const createVerifiedTokenCache = <P>(now: () => number) => {
  const entries = new Map<string, Verified<P>>();
  return {
    get: (token: string): P | 'expired' | undefined => {
      const hit = entries.get(token);
      if (hit === undefined) return undefined;
      const at = now();
      if (at < hit.recheckAtMs) return hit.principal;
      entries.delete(token);
      return at >= hit.expiresAtMs ? 'expired' : undefined;
    },
    set: (token: string, entry: Verified<P>): void => {
      if (entries.size >= cacheLimit) entries.clear();
      entries.set(token, entry);
    },
  };
};
