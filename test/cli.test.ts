import { expect, test } from 'vitest';
import { stride } from './support/cli';

test('--help lists the commands', async () => {
  const { code, stdout } = await stride('--help');
  expect(code).toBe(0);
  expect(stdout).toMatch(/Commands:/);
  expect(stdout).toMatch(/bench \[filter\]/);
});

test('an unknown command prints an error on stderr and exits 2', async () => {
  const { code, stdout, stderr } = await stride('frobnicate', '--json');
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/unknown command 'frobnicate'/);
});

test('an unknown option is a usage error naming it', async () => {
  const { code, stderr } = await stride('bench', '--frob');
  expect(code).toBe(2);
  expect(stderr).toMatch(/unknown option '--frob'/);
});
