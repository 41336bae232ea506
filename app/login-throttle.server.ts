/**
 * What the login and sign-up routes answer when the login limiter refuses an attempt: 429 with
 * Retry-After, the page's form error, and the header carried onto the document response.
 */
import { data, type HeadersFunction } from '@remix-run/node';
import { LOGIN_ERRORS } from './models/login-limit.server';

/** A refused attempt's Retry-After reaches the page's response (Remix takes document headers from here). */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After');
  return retryAfter ? { 'Retry-After': retryAfter } : new Headers();
};

export function tooManyAttempts(retryAfterSeconds: number) {
  return data({ errors: { form: LOGIN_ERRORS.tooMany(retryAfterSeconds) } as Record<string, string> }, { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } });
}
