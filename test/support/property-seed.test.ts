import fc from 'fast-check';
import { PROPERTY_SEED } from './property-seed.js';

describe('the suite-wide property seed (jest setupFilesAfterEnv)', () => {
  it('is in force before any test runs', () => {
    expect(fc.readConfigureGlobal().seed).toBe(PROPERTY_SEED);
  });

  it('draws the same cases every time, on every machine', () => {
    const draws = () => fc.sample(fc.tuple(fc.integer(), fc.string()), 20);
    expect(draws()).toEqual(draws());
  });
});
