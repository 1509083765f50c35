import type { SessionState } from '../../events/onboarding/state';
import type { Principal } from '../../infra/auth/jwt';

/**
 * Who may see and change a session. Everyone is confined to their own tenant except superadmin.
 * Read: the owning user, the tenant's services and admins, superadmin.
 * Write (onboarding activity): the owning user and the tenant's services; admins only observe.
 * A session the caller may not read is answered as not found, so its existence does not leak.
 */
export const canReadSession = (who: Principal, session: SessionState): boolean => {
  if (who.role === 'superadmin') return true;
  if (session.tenantId !== who.tenantId) return false;
  return who.role !== 'user' || session.userId === who.subject;
};

export const canWriteSession = (who: Principal, session: SessionState): boolean =>
  session.tenantId === who.tenantId &&
  (who.role === 'service' || (who.role === 'user' && session.userId === who.subject));
