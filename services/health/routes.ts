import { Router } from 'express';
import { checkHealth, type HealthDeps } from './checkHealth';

/** `GET health/` (no token: probes and load balancers): 503 only when nothing can be accepted. */
export const createHealthRoutes = (deps: HealthDeps): Router => {
  const router = Router();
  router.get('/health/', async (_req, res) => {
    const health = await checkHealth(deps);
    res.status(health.status === 'fail' ? 503 : 200).json(health);
  });
  return router;
};
