/**
 * The Content-Security-Policy nonce of the page being rendered. entry.server.tsx draws one per
 * request and provides it; the browser hides nonce attributes after parsing, so on the client the
 * value is '' on both sides of hydration.
 */
import { createContext, useContext } from 'react';

export const NonceContext = createContext('');

export function useNonce(): string {
  return useContext(NonceContext);
}
