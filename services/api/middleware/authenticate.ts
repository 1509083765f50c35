import type { NextFunction, Request, Response } from 'express';
import { InvalidTokenError, type Principal } from '../../../infra/auth/jwt';
import { DependencyUnavailableError } from '../../../infra/dependencies/dependencyUnavailable';
import { setPrincipal } from '../http/context';
import { AppError } from '../../shared/appError';

/** Requires `Authorization: Bearer <jwt>`; the verified principal goes into res.locals. */
export const createAuthenticate =
  (verify: (token: string) => Promise<Principal>) =>
  async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    const match =
      header === undefined ? null : /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header);
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new AppError(
        'unauthenticated',
        'authentication_required',
        'a bearer token is required',
      );
    }
    try {
      setPrincipal(res, await verify(match[1]));
    } catch (error) {
      // The identity provider's outage is answered as an outage (503), not blamed on the token.
      if (error instanceof DependencyUnavailableError) throw error;
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      const expired = error instanceof InvalidTokenError && error.reason === 'expired';
      throw new AppError(
        'unauthenticated',
        expired ? 'token_expired' : 'invalid_token',
        expired ? 'the token has expired' : 'the token is not valid',
      );
    }
    next();
  };
