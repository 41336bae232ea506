/**
 * A cap on request bodies, checked before the body is parsed: a declared Content-Length over the
 * cap is refused at once, and a body without one is read only up to the cap. Either way the
 * answer is 413 and nothing of the body is kept.
 */

/** Room for a 2 MB bank file (parseBank's own cap) in a form, with its encoding. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function bodyTooLarge(limit: number): Response {
  return new Response(`The request body is over ${(limit / 1024 / 1024).toFixed(0)} MB; a bank file may be at most 2 MB.`, { status: 413, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
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
