import type { Request } from 'express';

/**
 * The part of an Express 5 router layer (router 2.x) this needs; Nest registers every route as one.
 * `match` returns the match or false and keeps no state on the layer, so reading it outside the
 * request that is being routed is safe.
 */
export interface RouteLayer {
  match?: (path: string) => unknown;
  route?: { path: string; methods: Record<string, boolean | undefined> };
}

/** A path no real route has: a layer matching it is a catch-all. */
const PROBE = '/.jobstream-probe/no/such/route';

const matches = (layer: RouteLayer, path: string): boolean => Boolean(layer.match?.(path));

/**
 * Methods the registered routes answer on this path, in a stable order; empty when no route
 * matches it (a true 404). GET implies HEAD, as Express routes HEAD to GET handlers. OPTIONS is
 * not listed: no route answers it (there is no CORS), so it gets the 405 too.
 */
export function allowedMethods(stack: readonly RouteLayer[], path: string): string[] {
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match) continue;
    // Nest may mount module middleware (nestjs-pino's, for one) as catch-all routes on every method:
    // they pass every request on, so they say nothing about which methods a path answers.
    if (matches(layer, PROBE)) continue;
    if (!matches(layer, path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (!on) continue;
      if (method === '_all') return [];
      methods.add(method.toUpperCase());
    }
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/** The app's router stack, read through the request (Express sets `req.app`), or empty. */
export function routerStackOf(req: Request): readonly RouteLayer[] {
  const app = req.app as unknown as { router?: { stack?: RouteLayer[] } };
  return app?.router?.stack ?? [];
}

/** When a 404 is really "this path exists, not for this method": the Allow list, else undefined. */
export function methodNotAllowed(req: Request): string[] | undefined {
  const allowed = allowedMethods(routerStackOf(req), req.path);
  return allowed.length > 0 && !allowed.includes(req.method.toUpperCase()) ? allowed : undefined;
}
