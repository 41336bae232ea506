import { parseHTML } from 'linkedom';
import { describe, expect, test } from 'vitest';
import { escapeHtml, renderMarkdown } from './markdown';

/** Every element and attribute the HTML holds: what an injection would have to add. */
function markupOf(html: string): { tags: string[]; attributes: string[]; hrefs: string[] } {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  const elements = [...document.body.querySelectorAll('*')];
  return {
    tags: [...new Set(elements.map((e) => e.tagName.toLowerCase()))],
    attributes: [...new Set(elements.flatMap((e) => [...e.attributes].map((a) => a.name)))],
    hrefs: elements.map((e) => e.getAttribute('href')).filter((h): h is string => h !== null),
  };
}

/** Tags bank Markdown may produce: text structure, tables, code, links and KaTeX's MathML. */
const ALLOWED_TAGS = new Set(['p', 'br', 'strong', 'em', 's', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'span', 'math', 'semantics', 'mrow', 'mi', 'mn', 'mo', 'mtext', 'mstyle', 'mfrac', 'msup', 'msub', 'msubsup', 'msqrt', 'mspace', 'annotation']);
const ALLOWED_ATTRIBUTES = new Set(['href', 'rel', 'target', 'title', 'class', 'style', 'xmlns', 'display', 'encoding', 'mathcolor', 'mathvariant', 'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'width', 'linethickness', 'start', 'scriptlevel', 'displaystyle']);

function expectInert(markdown: string): string {
  const html = renderMarkdown(markdown);
  const { tags, attributes, hrefs } = markupOf(html);
  expect(tags.filter((t) => !ALLOWED_TAGS.has(t)), html).toEqual([]);
  expect(attributes.filter((a) => !ALLOWED_ATTRIBUTES.has(a) || a.startsWith('on')), html).toEqual([]);
  for (const href of hrefs) expect(href, html).toMatch(/^(https?:\/\/|mailto:)/);
  expect(html).not.toMatch(/<(script|img|iframe|object|embed|svg|style|form|input)\b/i);
  return html;
}

describe('renderMarkdown', () => {
  test('escapes markup from bank text, so no tag or attribute gets through', () => {
    const html = expectInert('<img src=x onerror=alert(1)> & <script>alert(2)</script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;');
  });

  test('renders emphasis, code, lists and paragraphs (a written line break stays one)', () => {
    expect(renderMarkdown('**bold** and *it* and `x*y*z`')).toBe('<p><strong>bold</strong> and <em>it</em> and <code>x*y*z</code></p>');
    expect(renderMarkdown('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(renderMarkdown('1. a\n2. b\n\nnext')).toBe('<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n<p>next</p>');
    expect(renderMarkdown('line one\nline two')).toBe('<p>line one<br>\nline two</p>');
  });

  test('gives instructors tables, fenced code blocks and links', () => {
    const table = renderMarkdown('| layer | output |\n|---|---:|\n| conv1 | $55$ |');
    expect(markupOf(table).tags).toEqual(expect.arrayContaining(['table', 'thead', 'tbody', 'th', 'td', 'math']));
    expect(renderMarkdown('```python\nprint("<b>")\n```')).toBe('<pre><code class="language-python">print(&quot;&lt;b&gt;&quot;)\n</code></pre>');
    expect(renderMarkdown('[paper](https://arxiv.org/abs/1512.03385)')).toBe('<p><a href="https://arxiv.org/abs/1512.03385" rel="noopener noreferrer" target="_blank">paper</a></p>');
    expect(renderMarkdown('See https://cs231n.github.io/ now')).toContain('<a href="https://cs231n.github.io/" rel="noopener noreferrer" target="_blank">https://cs231n.github.io/</a>');
    expect(renderMarkdown('[mail](mailto:ta@example.edu)')).toBe('<p><a href="mailto:ta@example.edu" rel="noopener noreferrer">mail</a></p>');
    // Fuzzy links are off: file names and versions are not links.
    expect(renderMarkdown('run train.py on resnet.v2 or ask a@b.com')).toBe('<p>run train.py on resnet.v2 or ask a@b.com</p>');
  });

  test('maths becomes MathML, and TeX cannot smuggle HTML or links', () => {
    const html = renderMarkdown('Output $\\frac{227-11}{4}+1 = 55$');
    expect(html).toContain('<math');
    expect(html).toContain('<mfrac>');
    expect(renderMarkdown('$$x^2$$')).toContain('display="block"');
    expect(renderMarkdown('costs \\$5 and \\$10')).toBe('<p>costs $5 and $10</p>');
    const hostile = expectInert('$\\href{javascript:alert(1)}{x}$ $\\url{https://evil.example}$ $\\htmlId{a}{b}$ $\\htmlClass{c}{d}$ $\\htmlStyle{color:red}{e}$ $\\htmlData{x=1}{f}$ $$\\href{javascript:alert(1)}{y}$$');
    expect(hostile).not.toMatch(/<a |href=|id="a"|class="c"|data-x/); // refused commands show as red text, the source only as an annotation
  });

  test.each([
    ['javascript:', '[a](javascript:alert(1))'],
    ['mixed-case javascript:', '[a](JaVaScRiPt:alert(1))'],
    ['entity-encoded javascript:', '[a](&#106;avascript:alert(1))'],
    ['hex-entity javascript:', '[a](&#x6A;avascript:alert(1))'],
    ['javascript: after a tab', '[a](java\tscript:alert(1))'],
    ['data:', '[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript:', '[a](vbscript:msgbox(1))'],
    ['file:', '[a](file:///etc/passwd)'],
    ['relative', '[a](/logout)'],
    ['reference-style javascript:', '[a][x]\n\n[x]: javascript:alert(1)'],
    ['autolink javascript:', '<javascript:alert(1)>'],
    ['autolink data:', '<data:text/html,<script>alert(1)</script>>'],
  ])('a %s link is not a link: it shows as text', (_, markdown) => {
    const html = expectInert(markdown);
    expect(markupOf(html).hrefs).toEqual([]);
    expect(html).toMatch(/^<p>/);
  });

  test('link titles and URLs cannot break out of their attribute', () => {
    const html = expectInert('[f](https://ok.example "t\\" onmouseover=\\"alert(1)") [g](https://a.example/"onmouseover="alert(1))');
    expect(markupOf(html).attributes).not.toContain('onmouseover');
    expect(html).toContain('href="https://a.example/%22onmouseover=%22alert(1)"');
  });

  test('HTML blocks, inline HTML and entities stay text', () => {
    expectInert('<div onclick="alert(1)">\n\nblock\n\n</div>');
    expectInert('inline <b onmouseover=alert(1)>b</b> and <a href="javascript:alert(1)">x</a>');
    expectInert('<!-- comment --> <![CDATA[x]]> <?php echo 1 ?>');
    expect(expectInert('&lt;script&gt; &#60;b&#62; &amp;lt;')).toBe('<p>&lt;script&gt; &lt;b&gt; &amp;lt;</p>');
    expectInert('```"><script>alert(1)</script>\nx\n```');
  });

  test('images are not loaded: an https image is a link to it, any other is text', () => {
    expect(expectInert('![the stem](https://example.org/stem.png "t")')).toBe('<p><a href="https://example.org/stem.png" rel="noopener noreferrer" target="_blank">the stem</a></p>');
    expect(markupOf(expectInert('![x](javascript:alert(1)) ![y](data:image/svg+xml,<svg onload=alert(1)>)')).hrefs).toEqual([]);
  });

  test('escapeHtml escapes the five significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
