/**
 * The production HTTP server (in place of remix-serve, which is express + compression + morgan +
 * static files): node:http, the built assets, and Remix, with the checks that must come before
 * Remix reads a request: the body cap (413 before the body is read), the refusal of cross-site
 * writes (403, a line in the log, no stack), and the security headers on every response.
 * `server.js` starts it from the build: `serve(build)`. See docs/decisions/0014-security-model.md.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { constants as zlib, createGzip } from 'node:zlib';
import { isConnectionLost } from '../db/client';
import { createRequestHandler, installGlobals, writeReadableStreamToWritable, type ServerBuild } from '@remix-run/node';
import { env } from './env.server';
import { crossSiteRefusal, securityHeaders } from './http-policy.server';
import { bodyLimitFor, bodyTooLargeMessage } from './request-limit.server';

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The peer address of the connection (the login limiter counts per address); absent under `remix dev`. */
    clientAddress?: string;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|x-script)|image\/svg)/;

/**
 * How long a refused upload's connection stays open, unread, before it is closed: closing at once
 * would reset the connection under a client still sending, and it would lose the 413.
 */
const REFUSED_UPLOAD_GRACE_MS = 1000;

function gzipWanted(req: IncomingMessage, contentType: string | undefined): boolean {
  return !!contentType && COMPRESSIBLE.test(contentType) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

export const DATABASE_UNAVAILABLE = 'The database is unavailable for a moment: nothing was saved. Try again.';

/**
 * The server's own number for each request, in a header Remix keeps on the requests it derives
 * (a client's header of that name is replaced): entry.server's handleError marks by it the
 * requests that lost their database connection, and the answer becomes 503.
 */
export const REQUEST_ID_HEADER = 'x-stride-request';
const lostConnection = new Set<string>();
let nextRequestId = 1;

/** Called with every error Remix reports: a lost database connection marks its request. */
export function noteConnectionError(error: unknown, request: Request): void {
  const id = request.headers.get(REQUEST_ID_HEADER);
  if (id && isConnectionLost(error)) lostConnection.add(id);
}

/** A short plain-text answer (403, 413, 500, 503). */
function refuse(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(message));
  res.end(message);
}

/**
 * A refusal that reads nothing more of the request: reading stops (a data listener that stays
 * paused also keeps Node from draining the rest), the answer goes out, and the connection is
 * closed once the client has had time to read it.
 */
function refuseUnread(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  req.on('data', () => undefined);
  req.pause();
  const socket = req.socket as typeof req.socket & { destroySoon?: () => void };
  // `Connection: close` so no client reuses the connection; Node would then destroy the socket
  // as soon as the answer is written, resetting it under a client still sending (which loses the
  // answer). Only half-close it instead: the client reads the answer and sees the end.
  res.setHeader('Connection', 'close');
  socket.destroySoon = () => socket.end();
  refuse(res, status, message);
  setTimeout(() => socket.destroy(), REFUSED_UPLOAD_GRACE_MS).unref();
}

/** The file under `root` that `urlPath` names, or null (never a path outside root). */
function fileUnder(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(root, '.' + decoded);
  if (!file.startsWith(root + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string): Promise<void> {
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Vary', 'Accept-Encoding');
  const gzip = gzipWanted(req, type);
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  else res.setHeader('Content-Length', statSync(file).size);
  if (req.method === 'HEAD') return void res.end();
  if (gzip) await pipeline(createReadStream(file), createGzip(), res);
  else await pipeline(createReadStream(file), res);
}

/**
 * Reads the body of `req` into memory, at most `limit` bytes. Over the cap (declared or counted)
 * it answers 413 itself, stops reading and returns null; the socket is closed after a grace period.
 */
function readBodyWithin(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | null> {
  const tooLarge = () => refuseUnread(req, res, 413, bodyTooLargeMessage(limit));
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    tooLarge();
    return Promise.resolve(null);
  }
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        chunks.length = 0;
        tooLarge();
        resolveBody(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => (size > limit ? undefined : resolveBody(Buffer.concat(chunks))));
    req.once('error', reject);
  });
}

function fetchHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

async function sendResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  res.statusMessage = response.statusText || res.statusMessage;
  for (const [key, value] of response.headers) if (key !== 'set-cookie') res.setHeader(key, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
  const type = response.headers.get('content-type') ?? undefined;
  if (!response.body || req.method === 'HEAD') {
    res.end();
    return;
  }
  if (!response.headers.has('content-encoding') && gzipWanted(req, type)) {
    res.removeHeader('Content-Length');
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Vary', 'Accept-Encoding');
    // Flush each chunk: a streamed page (deferred data) must reach the browser as it is written.
    const gzip = createGzip({ flush: zlib.Z_SYNC_FLUSH });
    const piped = pipeline(gzip, res);
    await writeReadableStreamToWritable(response.body, gzip);
    await piped;
    return;
  }
  await writeReadableStreamToWritable(response.body, res);
}

/** One line per request, as morgan's "tiny" did: method, url, status, length, time. */
function logRequest(req: IncomingMessage, res: ServerResponse, started: bigint): void {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const length = res.getHeader('content-length') ?? '-';
  process.stdout.write(`${req.method} ${req.url} ${res.statusCode} ${length} - ${ms.toFixed(3)} ms\n`);
}

/** The server for a Remix build; call `listen` on it (serve() does). */
export function createAppServer(build: ServerBuild): Server {
  installGlobals({ nativeFetch: true });
  const settings = env();
  const handle = createRequestHandler(build, settings.NODE_ENV);
  const headers = securityHeaders({ https: settings.COOKIE_SECURE });
  const assetsRoot = resolve(build.assetsBuildDirectory);
  const publicRoot = resolve('public');

  return createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => logRequest(req, res, started));
    // Set first, so every answer below (403, 413, a static file, a page) carries them; a page
    // replaces the Content-Security-Policy with its own (entry.server.tsx).
    for (const [key, value] of Object.entries(headers)) res.setHeader(key, value);
    try {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      const refusal = crossSiteRefusal(method, { get: (name) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : null) });
      if (refusal) return refuseUnread(req, res, 403, refusal);

      if (method === 'GET' || method === 'HEAD') {
        if (url.pathname.startsWith(build.publicPath)) {
          const file = fileUnder(assetsRoot, url.pathname.slice(build.publicPath.length - 1));
          if (file) return await sendFile(req, res, file, 'public, max-age=31536000, immutable');
        }
        const file = fileUnder(publicRoot, url.pathname);
        if (file) return await sendFile(req, res, file, 'public, max-age=3600');
      }

      let body: Uint8Array<ArrayBuffer> | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const read = await readBodyWithin(req, res, bodyLimitFor(url.pathname));
        if (read === null) return;
        body = new Uint8Array(read); // a copy on its own ArrayBuffer, as BodyInit wants
      }
      const controller = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const requestId = String(nextRequestId++);
      const requestHeaders = fetchHeaders(req);
      requestHeaders.set(REQUEST_ID_HEADER, requestId);
      const request = new Request(url.href, { method, headers: requestHeaders, body, signal: controller.signal });
      const response = await handle(request, { clientAddress: req.socket.remoteAddress?.replace(/^::ffff:/, '') });
      const lost = lostConnection.delete(requestId);
      // The database went away mid-request: nothing was committed (the transaction died with the
      // connection) and the pool reconnects, so the answer is "try again", not a fault.
      if (lost && response.status >= 500) return refuse(res, 503, DATABASE_UNAVAILABLE);
      await sendResponse(req, res, response);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      console.error(err);
      if (isConnectionLost(err)) refuse(res, 503, DATABASE_UNAVAILABLE);
      else refuse(res, 500, 'Something went wrong on the server.');
    }
  });
}

/** Starts the server on PORT (and HOST when set), closing it on SIGTERM/SIGINT. */
export function serve(build: ServerBuild): Server {
  const settings = env();
  const server = createAppServer(build);
  const host = settings.HOST;
  const onListen = () => process.stdout.write(`[stride] http://${host ?? 'localhost'}:${settings.PORT}\n`);
  if (host) server.listen(settings.PORT, host, onListen);
  else server.listen(settings.PORT, onListen);
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      server.close();
      setTimeout(() => server.closeAllConnections(), 2000).unref(); // keep-alive sockets end too
    });
  return server;
}
