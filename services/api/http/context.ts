import type { Response } from 'express';
import type { Principal } from '../../../infra/auth/jwt';
import { AppError } from '../../shared/appError';
import { callerContext } from '../../shared/commandContext';

/** Per-request values kept in res.locals, typed in one place. */
type Locals = { correlationId?: string; principal?: Principal };

export const correlationIdOf = (res: Response): string =>
  (res.locals as Locals).correlationId ?? 'unknown';

export const setCorrelationId = (res: Response, id: string): void => {
  (res.locals as Locals).correlationId = id;
};

export const setPrincipal = (res: Response, principal: Principal): void => {
  (res.locals as Locals).principal = principal;
};

export const principalOf = (res: Response): Principal => {
  const principal = (res.locals as Locals).principal;
  if (principal === undefined)
    throw new AppError('unauthenticated', 'authentication_required', 'a bearer token is required');
  return principal;
};

/** The authenticated caller of this request and the context its commands carry. */
export const callerOf = (res: Response, now: Date) => {
  const who = principalOf(res);
  return { who, ctx: callerContext(who, correlationIdOf(res), now) };
};
