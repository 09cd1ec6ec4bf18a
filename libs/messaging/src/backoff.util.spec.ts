import { backoffDelay } from './backoff.util';

describe('backoffDelay', () => {
  it('doubles per attempt between half and the whole ceiling', () => {
    expect(backoffDelay(0, 100, 30_000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 30_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 30_000, () => 0)).toBe(400);
    expect(backoffDelay(3, 100, 30_000, () => 1)).toBe(800);
  });

  it('is capped', () => {
    expect(backoffDelay(50, 100, 5_000, () => 1)).toBe(5_000);
  });
});
