/**
 * The Markdown of prompts, explanations and fact cards → HTML. A small subset (paragraphs,
 * lists, **bold**, *italic*, `code`, $inline$ and $$display$$ maths) so that bank text can never
 * inject markup: everything is escaped first, and only the constructs below are turned back
 * into tags. Maths is KaTeX rendered to MathML, which Chromium, Firefox and Safari draw natively
 * (no font files to ship).
 */
import katex from 'katex';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function tex(source: string, displayMode: boolean): string {
  return katex.renderToString(source, { displayMode, output: 'mathml', throwOnError: false, strict: 'ignore', trust: false, maxSize: 20, maxExpand: 200 });
}

/** Inline constructs of one line of text (already split from block structure). */
function inline(text: string): string {
  // Pull maths and code out first so their contents are not read as emphasis.
  const slots: string[] = [];
  const keep = (html: string) => `\u0000${slots.push(html) - 1}\u0000`;
  let s = text
    .replace(/\$\$([^$]+)\$\$/g, (_, m: string) => keep(tex(m, true)))
    .replace(/\$([^$\n]+)\$/g, (_, m: string) => keep(tex(m, false)))
    .replace(/`([^`]+)`/g, (_, c: string) => keep(`<code>${escapeHtml(c)}</code>`));
  s = escapeHtml(s)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^_\w])_([^_\n]+)_(?!\w)/g, '$1<em>$2</em>');
  return s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => slots[Number(i)]!);
}

/** Renders the Markdown subset to HTML that is safe to inject. */
export function renderMarkdown(markdown: string): string {
  const blocks = markdown.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  return blocks
    .map((block) => {
      const lines = block.split('\n').filter((l) => l.trim() !== '');
      if (lines.length === 0) return '';
      if (lines.every((l) => /^\s*[-*]\s+/.test(l))) return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('')}</ul>`;
      if (lines.every((l) => /^\s*\d+[.)]\s+/.test(l))) return `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\s*\d+[.)]\s+/, ''))}</li>`).join('')}</ol>`;
      return `<p>${lines.map(inline).join('<br>')}</p>`;
    })
    .join('');
}
