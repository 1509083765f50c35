import { Router } from 'express';
import { checkHealth, quickHealth, type HealthDeps } from './checkHealth';

/**
 * `GET health/` (no token: probes and load balancers): 503 only when writes cannot be accepted;
 * `GET health/quick/`: liveness, no dependency asked.
 */
export const createHealthRoutes = (deps: HealthDeps): Router => {
  const router = Router();
  router.get('/health/', async (_req, res) => {
    const health = await checkHealth(deps);
    res.status(health.status === 'unhealthy' ? 503 : 200).json(health);
  });
  router.get('/health/quick/', (_req, res) => {
    res.json(quickHealth());
  });
  return router;
};
