import { classifySendFailure, emailRetryDelay, withoutEmails } from './send-policy.util';

describe('send policy', () => {
  it('treats 5xx answers and recipient-less messages as permanent', () => {
    expect(classifySendFailure(Object.assign(new Error('550 mailbox unavailable'), { code: 'EENVELOPE', responseCode: 550 }))).toBe('permanent');
    expect(classifySendFailure(Object.assign(new Error('554 rejected'), { code: 'EMESSAGE', responseCode: 554 }))).toBe('permanent');
    expect(classifySendFailure(Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' }))).toBe('permanent');
  });

  it('treats outages, timeouts, 4xx and auth failures as transient', () => {
    expect(classifySendFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBe('transient');
    expect(classifySendFailure(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }))).toBe('transient');
    expect(classifySendFailure(Object.assign(new Error('421 try later'), { code: 'EENVELOPE', responseCode: 421 }))).toBe('transient');
    expect(classifySendFailure(Object.assign(new Error('535 auth'), { code: 'EAUTH', responseCode: 535 }))).toBe('transient');
    expect(classifySendFailure(new Error('something odd'))).toBe('transient');
    expect(classifySendFailure(undefined)).toBe('transient');
  });

  it('backs off exponentially with jitter, capped', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(emailRetryDelay(1, 1000, 60_000, low)).toBe(500);
    expect(emailRetryDelay(1, 1000, 60_000, high)).toBe(1000);
    expect(emailRetryDelay(3, 1000, 60_000, high)).toBe(4000);
    expect(emailRetryDelay(4, 1000, 60_000, low)).toBe(4000);
    expect(emailRetryDelay(30, 1000, 60_000, high)).toBe(60_000);
    const spread = new Set(Array.from({ length: 20 }, () => emailRetryDelay(5, 1000, 60_000)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('strips addresses from error messages', () => {
    expect(withoutEmails('550 5.1.1 <ada@example.com>: Recipient address rejected')).toBe('550 5.1.1 <[redacted]>: Recipient address rejected');
  });
});
