import { Header } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Public reads that change within seconds (search, postings, companies, stats, trending). */
export const SHORT_PUBLIC_CACHE = 'public, max-age=30, stale-while-revalidate=30';

/** Every answer starts as `no-store`; a read route opts in to caching with @CacheControl. */
export function noStoreByDefault(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * The route's Cache-Control on success; errors keep `no-store` (the error filter sets it), so a
 * transient 404 or 503 is never cached in place of the resource.
 */
export const CacheControl = (value: string = SHORT_PUBLIC_CACHE): MethodDecorator => Header('Cache-Control', value);
