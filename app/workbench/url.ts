/**
 * The workbench's state in its URL (docs/decisions/0029-workbench.md), the encoding half: pure,
 * no zod, so the page's bundle stays small. Decoding (zod, never eval) is in decode.server.ts.
 *
 *   /workbench?arch=resnet50     a zoo network, unchanged
 *   /workbench?n=<base64url>     anything else: base64url of UTF-8 JSON { v: 1, spec }
 */
import type { Spec } from '../../engine/spec';

/** Bumped when the JSON's shape changes; a link of another version is refused with a message. */
export const STATE_VERSION = 1;

export interface WorkbenchState {
  /** The zoo network this started from, while it is unchanged. */
  arch: string | null;
  spec: Spec;
}

/** Bytes → base64url (RFC 4648 §5, no padding). */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url → bytes; null when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The spec's JSON payload in the link. */
export function encodeSpec(spec: Spec): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify({ v: STATE_VERSION, spec })));
}

/** The search string (with '?') that reproduces this state. */
export function stateSearch(state: WorkbenchState): string {
  const params = new URLSearchParams();
  if (state.arch) params.set('arch', state.arch);
  else params.set('n', encodeSpec(state.spec));
  return `?${params.toString()}`;
}
