import { problem, problemInputOf, statusTitle } from './problem';

describe('problem', () => {
  it('carries the RFC 9457 members and the legacy ones as extensions', () => {
    const issues = [{ path: '/name', message: 'is required' }];
    expect(problem(400, '/v1/postings', { message: 'Invalid posting: /name is required', issues })).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Invalid posting: /name is required',
      instance: '/v1/postings',
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid posting: /name is required',
      issues,
    });
  });

  it('titles a 415 as what it is, not "Bad Request"', () => {
    expect(problem(415, '/x', { message: 'm' })).toMatchObject({ title: 'Unsupported Media Type', error: 'Unsupported Media Type', status: 415, statusCode: 415 });
    expect(statusTitle(405)).toBe('Method Not Allowed');
    expect(statusTitle(599)).toBe('Internal Server Error');
  });

  it('keeps extension members but never lets them override the standard ones', () => {
    expect(problem(409, '/x', { message: 'closed', extensions: { code: 'POSTING_CLOSED', status: 200 } })).toMatchObject({ code: 'POSTING_CLOSED', status: 409 });
  });
});

describe('problemInputOf', () => {
  it('reads the legacy body HttpExceptions carry', () => {
    expect(problemInputOf({ statusCode: 409, error: 'Conflict', message: 'Posting is closed', code: 'CLOSED' })).toEqual({ message: 'Posting is closed', extensions: { code: 'CLOSED' } });
    expect(problemInputOf({ statusCode: 400, message: 'bad', issues: [{ path: '/a', message: 'x' }] })).toEqual({ message: 'bad', issues: [{ path: '/a', message: 'x' }] });
  });

  it('joins the message arrays of Nest validation errors and takes plain strings', () => {
    expect(problemInputOf({ message: ['a is bad', 'b is bad'] })).toEqual({ message: 'a is bad; b is bad' });
    expect(problemInputOf('Not here')).toEqual({ message: 'Not here' });
  });
});
