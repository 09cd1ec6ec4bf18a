import { renderBar } from './progress.command';

describe('renderBar', () => {
  it('draws the share done', () => {
    expect(renderBar({ done: 5000n, total: 10000n }, 10)).toBe('[#####-----]  50.0%  5,000/10,000');
    expect(renderBar({ done: 0n, total: 0n }, 4, 'idle')).toBe('[####] 100.0%  0/0  idle');
    expect(renderBar({ done: 1n, total: 3n }, 3)).toBe('[#--]  33.3%  1/3');
  });
});
