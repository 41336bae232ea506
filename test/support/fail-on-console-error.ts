// A test that logs console.error fails (epic-stack's habit): errors must be asserted, not printed.
import { afterEach, beforeEach } from 'vitest';

let errors: unknown[][] = [];
const original = console.error;

beforeEach(() => {
  errors = [];
  console.error = (...args: unknown[]) => {
    errors.push(args);
    original(...args);
  };
});

afterEach(() => {
  console.error = original;
  if (errors.length > 0) {
    const first = errors[0]!.map(String).join(' ');
    throw new Error(`console.error was called ${errors.length} time(s) during this test; first: ${first}`);
  }
});
