import { quartiles, shuffledRounds, verdictAgainst } from '../../bench/bench-kit.js';

describe('bench statistics', () => {
  it('gives the quartiles of a sample, interpolating between order statistics', () => {
    expect(quartiles([5, 1, 4, 2, 3])).toEqual({ q1: 2, median: 3, q3: 4 });
    expect(quartiles([10, 40, 20, 30])).toEqual({ q1: 17.5, median: 25, q3: 32.5 });
    expect(quartiles([7])).toEqual({ q1: 7, median: 7, q3: 7 });
    expect(() => quartiles([])).toThrow('no values');
  });

  it('shuffles each round from a fixed seed: every item first in some round, and the same orders again', () => {
    const rounds = shuffledRounds(5, 15);
    expect(rounds).toHaveLength(15);
    for (const order of rounds) expect([...order].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(rounds.map((order) => order[0])).size).toBe(5);
    expect(shuffledRounds(5, 15)).toEqual(rounds);
    expect(shuffledRounds(5, 15, 14)).not.toEqual(rounds);
  });

  it('says a bound is met only when the upper quartile is within it', () => {
    expect(verdictAgainst({ q1: 1.02, q3: 1.09 }, 1.1)).toBe('met');
    expect(verdictAgainst({ q1: 1.05, q3: 1.14 }, 1.1)).toBe('within noise');
    expect(verdictAgainst({ q1: 1.12, q3: 1.2 }, 1.1)).toBe('not met');
  });
});
