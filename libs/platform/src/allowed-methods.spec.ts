import express from 'express';
import { allowedMethods, type RouteLayer } from './allowed-methods';

/** A real Express router stack, the way Nest registers its routes on the app. */
function stackOf(register: (app: express.Express) => void): readonly RouteLayer[] {
  const app = express();
  register(app);
  return (app as unknown as { router: { stack: RouteLayer[] } }).router.stack;
}

describe('allowedMethods', () => {
  const noop = (_req: express.Request, res: express.Response) => void res.end();
  const stack = stackOf((app) => {
    app.use(express.json());
    // How Nest may mount module middleware: a pass-through catch-all route on every method.
    app.all('/{*path}', (_req, _res, next) => next());
    app.get('/v1/postings', noop);
    app.post('/v1/postings', noop);
    app.get('/v1/postings/:id', noop);
    app.patch('/v1/postings/:id', noop);
    app.post('/v1/postings/:id/publish', noop);
  });

  it('lists every method the routes answer on a path, HEAD with GET, sorted', () => {
    expect(allowedMethods(stack, '/v1/postings')).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowedMethods(stack, '/v1/postings/abc')).toEqual(['GET', 'HEAD', 'PATCH']);
    expect(allowedMethods(stack, '/v1/postings/abc/publish')).toEqual(['POST']);
  });

  it('is empty for a path no route matches (that stays a 404), middleware ignored', () => {
    expect(allowedMethods(stack, '/v1/nothing')).toEqual([]);
    expect(allowedMethods(stack, '/v1/postings/a/b/c')).toEqual([]);
  });

  it('includes every method for a catch-all route, so it never answers 405', () => {
    expect(allowedMethods(stackOf((app) => app.all('/any', noop)), '/any')).toEqual(expect.arrayContaining(['DELETE', 'GET', 'OPTIONS', 'POST', 'PUT']));
  });
});
