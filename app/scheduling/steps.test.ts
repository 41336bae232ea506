import { describe, expect, it } from 'vitest';
import { MAX_STEPS, readSteps, STEP_ERRORS, storedSteps, writeSteps } from './steps';

describe('readSteps', () => {
  it.each([
    ['1m 10m', ['1m', '10m']],
    ['1m, 10m', ['1m', '10m']],
    ['  2m   15m 1h ', ['2m', '15m', '1h']],
    ['10', ['10m']],
    ['1H 1D', ['1h', '1d']],
    ['1.5h', ['1.5h']],
    ['', []],
    ['30d', ['30d']],
  ])('reads %j as %j', (text, steps) => {
    expect(readSteps(text)).toEqual({ ok: true, steps });
  });

  it.each([
    ['10x', STEP_ERRORS.bad('10x')],
    ['1m 10x', STEP_ERRORS.bad('10x')],
    ['m', STEP_ERRORS.bad('m')],
    ['-1m', STEP_ERRORS.bad('-1m')],
    ['0m', STEP_ERRORS.zero('0m')],
    ['31d', STEP_ERRORS.long('31d')],
    ['43201', STEP_ERRORS.long('43201')],
    [Array(MAX_STEPS + 1).fill('1m').join(' '), STEP_ERRORS.many(MAX_STEPS + 1)],
  ])('refuses %j', (text, error) => {
    expect(readSteps(text)).toEqual({ ok: false, error });
  });

  it('says what was wrong and what would be accepted', () => {
    expect(STEP_ERRORS.bad('10x')).toBe('"10x" is not a step: write a number and m, h or d, such as 10m, 1h or 1d');
  });

  it('round-trips through writeSteps', () => {
    for (const text of ['1m 10m', '2m 15m 1h', '10m', '', '1d 3d']) {
      const r = readSteps(text);
      expect(r.ok && writeSteps(r.steps)).toBe(text);
    }
  });

  it('falls back when a stored value no longer parses', () => {
    expect(storedSteps('10x', ['10m'])).toEqual(['10m']);
    expect(storedSteps('5m', ['10m'])).toEqual(['5m']);
  });
});
