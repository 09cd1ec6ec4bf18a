import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { basicAuthOk } from './basic-auth.util';

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

export const DASHBOARD_PATH = '/admin/queues';

/** Operator-only: every request needs the basic-auth credentials. */
export function basicAuth(user: string, password: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (basicAuthOk(req.headers.authorization, user, password)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="jobstream queues", charset="UTF-8"');
    res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'Operator credentials required' });
  };
}

/** The bull-board router for the queues, served under DASHBOARD_PATH. */
export function dashboardRouter(queues: readonly Queue[]): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  // @bull-board/express 9.10.1 nests its own @bull-board/api 9.10.1 (root has 9.10.2): same shape, distinct types.
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: serverAdapter as unknown as BoardServerAdapter });
  // Nest middleware sees the full URL (/admin/queues/...), while bull-board routes relative to
  // where it is mounted: mounting it under the path in a router of its own strips the prefix.
  const mounted = Router();
  mounted.use(DASHBOARD_PATH, serverAdapter.getRouter() as Router);
  return mounted;
}
