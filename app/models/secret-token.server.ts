/**
 * Bearer secrets (session ids, set-password links, invitations): 32 random bytes, base64url, in
 * the cookie or link; only their sha256 is stored, so a copy of the database opens nothing.
 */
import { createHash, randomBytes } from 'node:crypto';

/** sha256 of a token, hex: the form the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh token and the hash to store for it. */
export function mintToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}
