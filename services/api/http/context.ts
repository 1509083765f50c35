import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../../../infra/auth/jwt';
import { AppError } from '../../shared/appError';
import { callerContext } from '../../shared/commandContext';

/** Per-request values kept in res.locals, typed in one place. */
type Locals = { correlationId?: string; principal?: Principal; mountPath?: string };

export const correlationIdOf = (res: Response): string =>
  (res.locals as Locals).correlationId ?? 'unknown';

export const setCorrelationId = (res: Response, id: string): void => {
  (res.locals as Locals).correlationId = id;
};

export const setPrincipal = (res: Response, principal: Principal): void => {
  (res.locals as Locals).principal = principal;
};

/** The request log's caller fields: subject id and role, nothing else of the token. */
export const callerIdentityOf = (res: Response): { subject?: string; role?: string } => {
  const principal = (res.locals as Locals).principal;
  return principal === undefined ? {} : { subject: principal.subject, role: principal.role };
};

/** Where the router that served the request is mounted (see rememberMountPath). */
export const mountPathOf = (res: Response): string | undefined => (res.locals as Locals).mountPath;

export const rememberMountPath = (req: Request, res: Response, next: NextFunction): void => {
  (res.locals as Locals).mountPath = req.baseUrl;
  next();
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
