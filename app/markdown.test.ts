import { describe, expect, test } from 'vitest';
import { escapeHtml, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  test('escapes markup from bank text, so no tag or attribute gets through', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> & <script>alert(2)</script>');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;');
  });

  test('renders emphasis, code, lists and paragraphs', () => {
    expect(renderMarkdown('**bold** and *it* and `x*y*z`')).toBe('<p><strong>bold</strong> and <em>it</em> and <code>x*y*z</code></p>');
    expect(renderMarkdown('- one\n- two')).toBe('<ul><li>one</li><li>two</li></ul>');
    expect(renderMarkdown('1. a\n2. b\n\nnext')).toBe('<ol><li>a</li><li>b</li></ol><p>next</p>');
  });

  test('maths becomes MathML, and TeX cannot smuggle HTML or links', () => {
    const html = renderMarkdown('Output $\\frac{227-11}{4}+1 = 55$');
    expect(html).toContain('<math');
    expect(html).toContain('<mfrac>');
    const hostile = renderMarkdown('$\\href{javascript:alert(1)}{x}$ $\\htmlId{a}{b}$');
    expect(hostile).not.toMatch(/<a |href=|id="a"/); // refused commands show as red text, the source only as an annotation
  });

  test('escapeHtml escapes the five significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
