import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { authenticate, mayWriteCompany, type ApiKeyEntry, type Principal, type Role } from './api-keys.util';

export const API_KEYS = Symbol('jobstream:api-keys');
const ROLES = Symbol('jobstream:roles');

/** Routes that need a key name the roles allowed; routes without it are public. */
export const RequireRole = (...roles: Role[]) => SetMetadata(ROLES, roles);

type AuthedRequest = Request & { principal?: Principal };

function presentedKey(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key : undefined;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEYS) private readonly keys: readonly ApiKeyEntry[],
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (!roles) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const principal = authenticate(this.keys, presentedKey(req));
    if (!principal) {
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'A valid API key is required (Authorization: Bearer <key> or X-API-Key)' });
    }
    if (!roles.includes(principal.role)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `This route needs the role ${roles.join(' or ')}` });
    }
    req.principal = principal;
    return true;
  }
}

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without @RequireRole');
  return principal;
});

export function forbidOutsideScope(principal: Principal, companyId: string): void {
  if (mayWriteCompany(principal, companyId)) return;
  throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `Key ${principal.keyId} may not write company ${companyId}` });
}
