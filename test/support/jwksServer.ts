import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A signing key of a pretend identity provider: its private half and its public JWK. */
export type IdpKey = Readonly<{ alg: string; kid: string; privateKey: CryptoKey; jwk: JWK }>;

export const newIdpKey = async (alg: string, kid: string): Promise<IdpKey> => {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
};

/** A token as an identity provider would issue it (claims and lifetime overridable). */
export const idpToken = (
  key: IdpKey,
  claims: Record<string, unknown>,
  options: Partial<{ issuer: string; audience: string; subject: string; expiresIn: string }> = {},
) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(options.subject ?? 'idp-user-1')
    .setIssuer(options.issuer ?? 'https://idp.test')
    .setAudience(options.audience ?? 'waymark-api')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(key.privateKey);

/**
 * A JWKS endpoint on loopback (real HTTP, as jose's remote key set fetches it), whose key set a
 * test replaces at will (rotation), counting the fetches.
 */
export const startJwksServer = async (initial: readonly IdpKey[]) => {
  let keys = initial;
  const stats = { fetches: 0 };
  const server = createServer((req, res) => {
    stats.fetches += 1;
    res.writeHead(200, { 'Content-Type': 'application/jwk-set+json' });
    res.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    stats,
    /** Serves this key set from now on. */
    rotate: (next: readonly IdpKey[]) => {
      keys = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
