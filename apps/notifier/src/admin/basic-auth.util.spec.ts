import { basicAuthOk, safeEqual } from './basic-auth.util';

const header = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('basic auth', () => {
  it('accepts exactly the operator credentials', () => {
    expect(basicAuthOk(header('ops:correct horse battery'), 'ops', 'correct horse battery')).toBe(true);
    expect(basicAuthOk(header('ops:wrong'), 'ops', 'correct horse battery')).toBe(false);
    expect(basicAuthOk(header('eve:correct horse battery'), 'ops', 'correct horse battery')).toBe(false);
    expect(basicAuthOk(header('ops:pass:with:colons'), 'ops', 'pass:with:colons')).toBe(true);
  });

  it('refuses missing headers, other schemes and unset credentials', () => {
    expect(basicAuthOk(undefined, 'ops', 'pw')).toBe(false);
    expect(basicAuthOk('Bearer abc', 'ops', 'pw')).toBe(false);
    expect(basicAuthOk(header(':'), '', '')).toBe(false);
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
  });
});
