/**
 * What the HTTP server checks and adds around every request, before Remix sees it: the refusal
 * of cross-site writes, the security headers of every response, and the Content-Security-Policy
 * of HTML pages (entry.server.tsx draws its nonce). See docs/decisions/0014-security-model.md.
 */

/** The headers every response carries (assets, /healthz, 404s, 413s…), unless it set its own. */
export function securityHeaders({ https }: { https: boolean }): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    // What is not a page runs nothing and frames nothing.
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
}

/**
 * The policy of an HTML page. Scripts only from this site or inline with this response's nonce
 * (Remix's hydration data, ScrollRestoration); 'wasm-unsafe-eval' lets tfjs compile WebAssembly
 * without allowing eval. Styles may be inline: KaTeX positions its glyphs with style attributes.
 */
export function pageContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const CROSS_SITE_REFUSED = 'Cross-site form posts are refused: send this form from the Stride page it belongs to.';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a request that changes state must be refused as cross-site, or null. A browser says where
 * a request comes from in Sec-Fetch-Site (modern browsers) and Origin (every cross-site POST);
 * either pointing elsewhere refuses it. Clients that send neither (curl, tests, the CLI) pass:
 * they carry no one's cookie by accident, and the cookie is SameSite=Lax anyway.
 */
export function crossSiteRefusal(method: string, headers: { get(name: string): string | null }): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return CROSS_SITE_REFUSED;
  const origin = headers.get('origin');
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host; // 'null' (a sandboxed or privacy-hidden origin) throws
  } catch {
    return CROSS_SITE_REFUSED;
  }
  const hosts = [headers.get('host'), headers.get('x-forwarded-host')?.split(',')[0]?.trim()].filter((h): h is string => !!h);
  return hosts.includes(originHost) ? null : CROSS_SITE_REFUSED;
}
