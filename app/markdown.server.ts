/**
 * The name route modules import app/markdown.ts by: a route that renders Markdown in its loader
 * and imported ./markdown directly would ship markdown-it and KaTeX (≈ 110 KB gzip) to the browser,
 * since the compiler keeps a module with top-level code even when only the loader uses it.
 * `.server` makes the browser build leave it out.
 */
export { escapeHtml, renderMarkdown } from './markdown';
