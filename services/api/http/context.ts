import type { Response } from 'express';
import type { Principal } from '../../../infra/auth/jwt';
import { HttpError } from './httpError';

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
    throw new HttpError(401, 'authentication_required', 'a bearer token is required');
  return principal;
};
