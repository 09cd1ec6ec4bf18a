import { createHmac } from 'node:crypto';
import { saltedPassword } from './scram-users';

describe('saltedPassword', () => {
  it("is RFC 5802's Hi(): PBKDF2-HMAC-SHA-512 over the salt, 64 bytes", () => {
    const salt = Buffer.from('0123456789abcdef');
    // Hi() with one iteration is HMAC(password, salt || INT(1)).
    const one = createHmac('sha512', 'pencil').update(Buffer.concat([salt, Buffer.from([0, 0, 0, 1])])).digest();
    expect(saltedPassword('pencil', salt, 1).equals(one)).toBe(true);
    expect(saltedPassword('pencil', salt)).toHaveLength(64);
    expect(saltedPassword('pencil', salt).equals(saltedPassword('pencil', Buffer.from('other-salt')))).toBe(false);
  });
});
