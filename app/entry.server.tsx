import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { isRouteErrorResponse, RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { bootstrap } from './bootstrap.server';
import { pageContentSecurityPolicy } from './http-policy.server';
import { noteConnectionError } from './http-server.server';
import { NonceContext } from './nonce';

// The HTTP server (server.js calls it from the build): see app/http-server.server.ts.
export { serve } from './http-server.server';

// Migrate the database and load content/ when the server build is imported, i.e. at start,
// before the first request: a broken bank or an unreachable database stops the start with its
// message (server.js prints it), not a later request.
await bootstrap();

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get('user-agent') ?? '');
  // A fresh nonce per page: only the scripts Remix writes into this response may run inline.
  const nonce = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          responseHeaders.set('Content-Security-Policy', pageContentSecurityPolicy(nonce));
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * Logs what went wrong on the server, but not a request that was answered as it should be: a
 * 404 or 405 (no route, no action) is an answer, not a fault, and an aborted request (the browser
 * left) is no one's error.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs): void {
  // A lost database connection: the HTTP server answers 503 instead of 500 (app/http-server.server.ts).
  noteConnectionError(error, request);
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(error);
}
