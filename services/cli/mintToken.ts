import { parseArgs } from 'node:util';
import { roles, signToken, type Role } from '../../infra/auth/jwt';
import { resolveHmacSecret } from '../../infra/auth/resolveSecret';
import { loadConfig } from '../../infra/config/loadConfig';

/**
 * npm run token -- --role R --tenant T [--sub U] [--expires 1h]
 * Prints a bearer token signed with the same secret a Waymark started in this directory uses
 * (JWT_SECRET, or the development secret in the data directory), with the configured claim names.
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      tenant: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '1h' },
    },
  });
  const role = values.role as Role | undefined;
  if (role === undefined || !roles.includes(role) || values.tenant === undefined) {
    throw new Error(
      `usage: npm run token -- --role ${roles.join('|')} --tenant T [--sub U] [--expires 1h]`,
    );
  }
  const config = loadConfig();
  const secret = await resolveHmacSecret(config.auth, config.dataDir);
  if (secret === undefined) {
    throw new Error(
      'JWT_JWKS_URL is set without JWT_SECRET: HS256 is off, mint tokens at the identity provider',
    );
  }
  const token = await signToken(
    { ...config.auth, secret },
    { subject: values.sub ?? `${role}-1`, tenantId: values.tenant, role },
    values.expires,
  );
  process.stdout.write(`${token}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
