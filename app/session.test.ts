import { describe, expect, test } from 'vitest';
import { safeRedirect } from './session.server';

describe('safeRedirect', () => {
  test.each([
    ['/review', '/review'],
    ['/quiz/3?x=1#top', '/quiz/3?x=1#top'],
    ['/explore/vgg16', '/explore/vgg16'],
  ])('keeps the same-site path %s', (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });

  // Regression: `/\t/evil.com` passed a `//` prefix check and browsers then went to evil.com.
  test.each(['//evil.com', '/\\evil.com', '/\t/evil.com', '/\n/evil.com', '/\r\n//evil.com', 'https://evil.com', 'evil.com', '', '/%0a/x\u0000'])(
    'refuses %j',
    (to) => {
      expect(safeRedirect(to)).toBe('/');
    },
  );

  test('a non-string (a file in a form) falls back', () => {
    expect(safeRedirect(null, '/home')).toBe('/home');
  });
});
