import { TRENDING_EPOCH_MS, decayedScore, logContribution, logSumExp2 } from './trending.util';

const HOUR = 3_600_000;

describe('trending decay', () => {
  const halfLife = 24 * HOUR;
  const t = TRENDING_EPOCH_MS + 400 * 24 * HOUR;

  it('scores an event at its weight when it just happened', () => {
    expect(decayedScore(logContribution(5, t, halfLife), t, halfLife)).toBeCloseTo(5, 10);
  });

  it('halves after one half-life, quarters after two', () => {
    const log = logContribution(4, t, halfLife);
    expect(decayedScore(log, t + halfLife, halfLife)).toBeCloseTo(2, 10);
    expect(decayedScore(log, t + 2 * halfLife, halfLife)).toBeCloseTo(1, 10);
  });

  it('adds events in log space: the sum of their decayed weights', () => {
    const sum = logSumExp2(logContribution(3, t - halfLife, halfLife), logContribution(1, t, halfLife));
    expect(decayedScore(sum, t, halfLife)).toBeCloseTo(3 / 2 + 1, 10);
    expect(logSumExp2(null, 7)).toBe(7);
    expect(logSumExp2(null, null)).toBeNull();
  });

  it('does not overflow far from the epoch (where 2^((t - T0)/h) would be Infinity)', () => {
    const far = TRENDING_EPOCH_MS + 5000 * halfLife;
    const sum = logSumExp2(logContribution(1, far, halfLife), logContribution(1, far, halfLife));
    expect(Number.isFinite(sum)).toBe(true);
    expect(decayedScore(sum, far + halfLife, halfLife)).toBeCloseTo(1, 10);
  });

  it('ignores kinds without weight', () => {
    expect(logContribution(0, t, halfLife)).toBeNull();
    expect(decayedScore(null, t, halfLife)).toBe(0);
  });
});
