/**
 * Reading a workbench link back (docs/decisions/0029-workbench.md): base64url → JSON.parse → zod
 * (the bank format's spec schema: strict objects, capped sizes). Never evaluated. A link that
 * does not decode gives a message and the empty workbench.
 */
import { specSchema } from '../../engine/bank/schema';
import { getArch } from '../../engine/zoo';
import { STATE_VERSION, fromBase64Url, type WorkbenchState } from './url';
import { EMPTY_SPEC } from './edit';

/** The longest `n` accepted (characters): well above densenet201's link, well below what could hurt. */
export const MAX_STATE_CHARS = 400_000;

export const LINK_ERRORS = {
  tooLong: `This workbench link is too long (over ${MAX_STATE_CHARS.toLocaleString('en-US')} characters); it was not opened.`,
  notBase64: 'This workbench link is damaged (its network is not base64url text); it was not opened.',
  notJson: 'This workbench link is damaged (its network is not JSON); it was not opened.',
  version: (v: unknown) => `This workbench link is of version ${JSON.stringify(v)}; this Stride reads version ${STATE_VERSION}. It was not opened.`,
  invalid: (problems: string) => `This workbench link does not describe a network: ${problems}. It was not opened.`,
  badInput: 'The input must be three whole numbers from 1 to 8192 (height, width, channels).',
  unknownArch: (id: string) => `There is no network called '${id.slice(0, 64)}' in the zoo; the link was not opened.`,
} as const;

export type DecodedState = { ok: true; state: WorkbenchState } | { ok: false; message: string; state: WorkbenchState };

const empty = (message: string): DecodedState => ({ ok: false, message, state: { arch: null, spec: EMPTY_SPEC } });

/** The state a link's search params describe; the empty workbench (and a message) when they do not. */
export function decodeState(search: URLSearchParams): DecodedState {
  const arch = search.get('arch');
  const n = search.get('n');
  if (n !== null) return decodeSpecParam(n);
  const h = search.get('h');
  const w = search.get('w');
  const c = search.get('c');
  if (h !== null || w !== null || c !== null) {
    // "Start empty" with a chosen input: checked as a link's spec is.
    const input = [h, w, c].map((v) => (v !== null && /^\d{1,5}$/.test(v.trim()) ? Number(v) : NaN));
    const parsed = specSchema.safeParse({ input, layers: [] });
    if (!parsed.success || input.some((v) => !(v > 0))) return empty(LINK_ERRORS.badInput);
    return { ok: true, state: { arch: null, spec: parsed.data } };
  }
  if (arch !== null) {
    try {
      return { ok: true, state: { arch, spec: getArch(arch).spec } };
    } catch {
      return empty(LINK_ERRORS.unknownArch(arch));
    }
  }
  return { ok: true, state: { arch: null, spec: EMPTY_SPEC } };
}

export function decodeSpecParam(n: string): DecodedState {
  if (n.length > MAX_STATE_CHARS) return empty(LINK_ERRORS.tooLong);
  const bytes = fromBase64Url(n);
  if (!bytes) return empty(LINK_ERRORS.notBase64);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return empty(LINK_ERRORS.notJson);
  }
  if (typeof value !== 'object' || value === null || (value as { v?: unknown }).v !== STATE_VERSION) return empty(LINK_ERRORS.version((value as { v?: unknown } | null)?.v));
  const keys = Object.keys(value);
  if (keys.some((k) => k !== 'v' && k !== 'spec')) return empty(LINK_ERRORS.invalid(`unknown key ${keys.find((k) => k !== 'v' && k !== 'spec')}`));
  const parsed = specSchema.safeParse((value as { spec?: unknown }).spec);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
    return empty(LINK_ERRORS.invalid(problems.join('; ')));
  }
  return { ok: true, state: { arch: null, spec: parsed.data } };
}
