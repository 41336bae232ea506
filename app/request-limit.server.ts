/**
 * Caps on request bodies. The HTTP server (app/http-server.server.ts) applies `bodyLimitFor` to
 * every request before anything reads the body: a declared Content-Length over the cap is refused
 * at once, and a body without one is read only up to the cap. Either way the answer is 413 and
 * nothing more of the body is read. `readFormWithin` is the same cap inside an action (the bank
 * and class routes call it; it also holds under `remix dev`, which uses remix-serve).
 */

/** Room for a 2 MB bank file (parseBank's own cap) in a form, with its encoding. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Every other form (log-in, answers, quiz submissions): far above any honest one. */
export const DEFAULT_BODY_BYTES = 256 * 1024;

/** Routes whose forms carry a bank's text, and so get MAX_BODY_BYTES (with or without Remix's `.data` suffix). */
const BANK_TEXT_ROUTES = [/^\/banks\/import(?:\.data)?\/?$/, /^\/banks\/[^/]+\/edit(?:\.data)?\/?$/];

/** The body cap of a request to `pathname`, in bytes. */
export function bodyLimitFor(pathname: string): number {
  return BANK_TEXT_ROUTES.some((r) => r.test(pathname)) ? MAX_BODY_BYTES : DEFAULT_BODY_BYTES;
}

function megabytes(limit: number): string {
  return limit >= 1024 * 1024 ? `${(limit / 1024 / 1024).toFixed(0)} MB` : `${(limit / 1024).toFixed(0)} KB`;
}

export function bodyTooLargeMessage(limit: number): string {
  return limit >= MAX_BODY_BYTES
    ? `The request body is over ${megabytes(limit)}; a bank file may be at most 2 MB.`
    : `The request body is over ${megabytes(limit)}, more than this form can need.`;
}

export function bodyTooLarge(limit: number): Response {
  return new Response(bodyTooLargeMessage(limit), { status: 413, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The request's form data, or a thrown 413 when the body is over `limit` bytes. */
export async function readFormWithin(request: Request, limit = MAX_BODY_BYTES): Promise<FormData> {
  const declared = Number(request.headers.get('Content-Length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(limit);
  if (!request.body) return request.formData();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Stop reading, but leave the socket open: Node discards the rest once the 413 is sent, so
    // the client reads the answer instead of a reset connection.
    if (size > limit) {
      reader.releaseLock();
      throw bodyTooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(request.url, { method: request.method, headers: request.headers, body }).formData();
}
