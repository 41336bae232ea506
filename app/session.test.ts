import { describe, expect, test } from 'vitest';
import { OFF_SITE_TARGETS } from '../test/support/off-site-targets';
import { safeRedirect } from './session.server';

describe('safeRedirect', () => {
  test.each([
    ['/review', '/review'],
    ['/quiz/3?x=1#top', '/quiz/3?x=1#top'],
    ['/explore/vgg16', '/explore/vgg16'],
    ['/a/../review', '/review'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'], // one path segment on this site
  ])('keeps the same-site path %j as %j', (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });

  test(`refuses all ${OFF_SITE_TARGETS.length} off-site targets`, () => {
    expect(OFF_SITE_TARGETS.length).toBeGreaterThanOrEqual(20);
    const kept = OFF_SITE_TARGETS.filter((to) => safeRedirect(to) !== '/');
    expect(kept).toEqual([]);
  });

  // Whatever it returns, a browser resolving it stays on the site.
  test.each(OFF_SITE_TARGETS)('the answer to %j stays on the site when a browser reads it', (to) => {
    const base = 'https://stride.example/login';
    expect(new URL(safeRedirect(to), base).origin).toBe('https://stride.example');
  });

  test('a non-string (a file in a form) falls back', () => {
    expect(safeRedirect(null, '/home')).toBe('/home');
  });
});
