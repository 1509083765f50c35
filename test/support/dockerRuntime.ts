import { spawnSync } from 'node:child_process';

export type DockerAvailability =
  Readonly<{ available: true }> | Readonly<{ available: false; reason: string }>;

/**
 * Whether testcontainers finds a container runtime (DOCKER_HOST, ~/.testcontainers.properties,
 * the Docker socket, rootless Docker…), asked of testcontainers itself. Jest registers tests
 * synchronously, so the (asynchronous) detection runs in a child process: the answer decides
 * whether a container-backed suite is declared at all, and its error says why not.
 */
export const dockerAvailability = (): DockerAvailability => {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('testcontainers').getContainerRuntimeClient().then(
        () => process.exit(0),
        (e) => { process.stderr.write(String(e && e.message)); process.exit(1); })`,
    ],
    { encoding: 'utf8', timeout: 30_000, env: process.env },
  );
  if (probe.status === 0) return { available: true };
  const said = (probe.stderr || probe.error?.message || 'no answer').trim().split('\n')[0] ?? '';
  const where = process.env.DOCKER_HOST
    ? `DOCKER_HOST=${process.env.DOCKER_HOST}`
    : 'DOCKER_HOST unset';
  return { available: false, reason: `${said} (${where})` };
};
