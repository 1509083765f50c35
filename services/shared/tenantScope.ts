import type { Principal } from '../../infra/auth/jwt';
import { AppError } from './appError';

/** Which tenant's data a query sees: one tenant, or every tenant (null, superadmin only). */
export type TenantScope = Readonly<{ tenantId: string | null }>;

/** Admin endpoints: admin (own tenant) or superadmin. */
export const requireAdmin = (who: Principal): Principal => {
  if (who.role !== 'admin' && who.role !== 'superadmin')
    throw new AppError('forbidden', 'forbidden', 'admin role required');
  return who;
};

/** Admins see their tenant only; superadmin sees all, or one tenant with client_id. */
export const scopeOf = (who: Principal, clientId: string | undefined): TenantScope => {
  if (who.role === 'superadmin') return { tenantId: clientId ?? null };
  if (clientId !== undefined && clientId !== who.tenantId)
    throw new AppError('forbidden', 'forbidden', 'other tenants are not visible');
  return { tenantId: who.tenantId };
};

/** Actions over every tenant's data (clearing the DLQ): superadmin only. */
export const requireSuperadmin = (who: Principal, what: string): Principal => {
  if (who.role !== 'superadmin')
    throw new AppError('forbidden', 'forbidden', `${what} needs the superadmin role`);
  return who;
};
