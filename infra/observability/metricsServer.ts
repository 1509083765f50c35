import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics` for worker processes (relay, projector, detector), which have no HTTP API of
 * their own, and `GET /health` (what the process leads, when it campaigns for leases). Off unless a
 * port is configured (METRICS_PORT; 0 picks a free one).
 */
export const startMetricsServer = async (
  registry: Registry,
  port: number,
  host: string,
  health?: () => unknown,
) => {
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      // Liveness: the event loop answers. Workers that campaign for leases add who leads.
      const body = { status: 'pass', ...(health ? (health() as object) : {}) };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry
      .metrics()
      .then((body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body))
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) =>
    server.listen(port, host, resolve).once('error', reject),
  );
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The metrics server as a shutdown step, or nothing when no port is configured. */
export const serveWorkerMetrics = async (
  registry: Registry,
  port: number | undefined,
  host: string,
  health?: () => unknown,
): Promise<{ name: string; close: () => Promise<void> }[]> => {
  if (port === undefined) return [];
  const server = await startMetricsServer(registry, port, host, health);
  return [{ name: 'metrics', close: server.close }];
};
