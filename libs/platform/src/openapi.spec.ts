import { genericErrorResponses, problemSchema } from './openapi';

describe('genericErrorResponses', () => {
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

  it('documents 405 with Allow on every operation, as a problem', () => {
    const r = genericErrorResponses(false);
    expect(Object.keys(r)).toEqual(['405']);
    expect(r[405]).toMatchObject({ content: problem, headers: { Allow: expect.any(Object), 'Cache-Control': expect.any(Object) } });
  });

  it('adds the undecodable-body 400, the too-large 413 and the unsupported-encoding 415 where a body is read', () => {
    const r = genericErrorResponses(true);
    expect(Object.keys(r).sort()).toEqual(['400', '405', '413', '415']);
    expect(r[415]).toMatchObject({ content: problem, description: expect.stringContaining('Content-Encoding') });
    expect(r[400].description).toContain('UTF-8');
  });

  it('adds 400 for parameters, and 401/403 for key-protected routes, each a problem', () => {
    const r = genericErrorResponses(false, { parameters: true, auth: true });
    expect(Object.keys(r).sort()).toEqual(['400', '401', '403', '405']);
    for (const code of ['400', '401', '403']) expect(r[code]).toMatchObject({ content: problem });
  });

  it('requires every RFC 9457 member and the legacy ones, and allows extensions', () => {
    expect(problemSchema.required).toEqual(['type', 'title', 'status', 'detail', 'instance', 'statusCode', 'error', 'message']);
    expect(problemSchema.additionalProperties).toBe(true);
  });
});
