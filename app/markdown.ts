/**
 * The Markdown of prompts, explanations and fact cards → HTML, through markdown-it (CommonMark
 * with tables and strikethrough) and KaTeX for $inline$ and $$display$$ maths (decision 0027).
 * Bank text never injects markup: raw HTML is off (it shows as text), a link or image is kept
 * only for http, https and mailto (anything else shows as the text it was written as), and KaTeX
 * runs untrusted (no \href, \url, \htmlClass…). Maths is MathML, which Chromium, Firefox and
 * Safari draw natively (no font files to ship).
 *
 * Server only in practice: pages get the HTML from loaders (app/study.server.ts); a client module
 * importing this would ship markdown-it and KaTeX with it.
 */
import markdownKatex from '@vscode/markdown-it-katex';
import MarkdownIt from 'markdown-it';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The same KaTeX options the hand-written renderer used: untrusted, bounded, never throwing. */
const KATEX_OPTIONS = { output: 'mathml', throwOnError: false, strict: 'ignore', trust: false, maxSize: 20, maxExpand: 200 } as const;

/** Schemes a bank's link may use; markdown-it normalises (entities, case, whitespace) before this sees the URL. */
const LINK_SCHEMES = /^(https?:\/\/|mailto:)/i;

const md = new MarkdownIt({
  html: false,
  // A written line break stays a line break (as in the subset this replaces; banks rely on it).
  breaks: true,
  // Only explicit http(s):// URLs become links: fuzzy matching would link `train.py` (.py is a country).
  linkify: true,
  typographer: false,
});
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
md.validateLink = (url) => LINK_SCHEMES.test(url.trim());
// The plugin is CommonJS with `exports.default`: Node's ESM import (the built server) gives the module object.
const katexPlugin = (markdownKatex as unknown as { default?: typeof markdownKatex }).default ?? markdownKatex;
md.use(katexPlugin, KATEX_OPTIONS as never);

// Every link leaves in a new tab, so a review or quiz in progress stays where it was; the opened
// page gets neither the opener nor the referrer.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'noopener noreferrer');
  if (!String(token.attrGet('href') ?? '').startsWith('mailto:')) token.attrSet('target', '_blank');
  return self.renderToken(tokens, idx, options);
};

// No images: one from anywhere would tell a third party who studies when (and a bank is shared
// text, not hosted files). An image is shown as a link to it, labelled with its alt text.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
  return `<a href="${escapeHtml(src)}" rel="noopener noreferrer" target="_blank">${escapeHtml(alt)}</a>`;
};

/** Renders bank Markdown to HTML that is safe to inject. */
export function renderMarkdown(markdown: string): string {
  return md.render(markdown).trimEnd();
}
