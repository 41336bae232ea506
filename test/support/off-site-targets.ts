/**
 * Targets that would leave the site, each refused (the fallback). Browsers resolve dot segments
 * (also encoded ones), read `\` as `/` and drop tabs and newlines, so all of these would reach
 * another host if handed back as they are, or after the server's own resolving.
 */
export const OFF_SITE_TARGETS = [
  '//evil.example',
  '//evil.example/phish',
  '/\\evil.example',
  '\\\\evil.example',
  '/..//evil.example/phish', // the reported one: resolves to the path //evil.example/phish
  '/../..//evil.example',
  '/%2e%2e//evil.example',
  '/%2E%2E//evil.example',
  '/.%2e//evil.example',
  '/.//evil.example',
  '/./..//evil.example',
  '/a/../..//evil.example',
  '%2F%2Fevil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n//evil.example',
  '/\u0000//evil.example',
  '/\u007f/evil.example',
  '/\u0085/evil.example',
  'https://evil.example/',
  'http:evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '',
  ' //evil.example',
  '/%0a/x\u0000',
  '///evil.example',
  '/\\/evil.example',
];
