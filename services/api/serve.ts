import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../infra/config/loadConfig';
import type { Closer } from '../../infra/lifecycle/shutdown';
import type { Logger } from '../../infra/observability/logger';
import { apiBasePath } from './app';

/** Listens on the configured address and logs where, and on what the process runs. */
export const serveApi = async (
  app: Express,
  config: Config,
  logger: Logger,
  runsOn: Readonly<Record<string, unknown>>,
): Promise<Closer> => {
  const server = app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) =>
    server.once('listening', resolve).once('error', reject),
  );
  const { port } = server.address() as AddressInfo;
  logger.info(
    { port, ...runsOn },
    `waymark api listening on http://${config.http.host}:${port}${apiBasePath}/`,
  );
  return {
    name: 'http',
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
