import { BrokerUnavailableError, PermanentEventError, isTransientError } from './errors';

describe('isTransientError', () => {
  const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

  it('treats dependency outages as transient', () => {
    expect(isTransientError(new BrokerUnavailableError('down'))).toBe(true);
    expect(isTransientError(named('MongoServerSelectionError'))).toBe(true);
    expect(isTransientError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientError(new Error('wrapped', { cause: named('MongoNetworkError') }))).toBe(true);
  });

  it('treats everything else as the event\'s problem', () => {
    expect(isTransientError(new PermanentEventError('bad'))).toBe(false);
    expect(isTransientError(new TypeError('undefined is not a function'))).toBe(false);
    expect(isTransientError('a string')).toBe(false);
  });
});
