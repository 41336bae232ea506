/**
 * Anki round trip (issue 17): the CS231n bank's fact cards go out as Anki notes (Basic and Cloze,
 * MathJax maths) and come back with the same fronts, backs, cloze texts and maths; Anki's own
 * "Notes in Plain Text" exports, with and without headers, import as fact cards.
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ankiField, bankTextOfAnkiHtml, bankToAnkiTsv, readAnkiText } from '../app/anki';
import { importAnkiText } from '../app/bank-files.server';
import { readBank } from '../app/content.server';
import { readCsv } from '../app/csv';
import type { BankItem } from '../engine/bank/schema';

const cs231n = readBank(path.resolve('content/banks/cs231n'));

/** What a card shows, kind by kind, maths and erratum included (a Basic note's back holds the erratum). */
function shown(item: BankItem) {
  const withErratum = (back: string) => [back, item.erratum].filter(Boolean).join('\n\n');
  if (item.kind === 'basic') return { id: item.id, kind: item.kind, front: item.front, back: withErratum(item.back) };
  if (item.kind === 'cloze') return { id: item.id, kind: item.kind, text: item.text, extra: withErratum(item.extra ?? '') || undefined };
  return null;
}

describe('Anki export', () => {
  const { text, notes, skipped } = bankToAnkiTsv(cs231n);
  const lines = text.trimEnd().split('\n');
  const body = lines.filter((l) => !l.startsWith('#'));

  test('headers Anki reads, one Basic or Cloze note per fact card, generated items counted out', () => {
    expect(lines.slice(0, 6)).toEqual(['#separator:tab', '#html:true', '#guid column:1', '#notetype column:2', '#tags column:5', `#deck:${cs231n.title}`]);
    const facts = cs231n.items.filter((i) => i.kind !== 'generated');
    expect(notes).toBe(facts.length);
    expect(skipped).toBe(cs231n.items.length - facts.length);
    expect(body).toHaveLength(notes);
    for (const [i, line] of body.entries()) {
      const cells = line.split('\t');
      expect(cells).toHaveLength(5);
      expect(cells[1]).toBe(facts[i]!.kind === 'cloze' ? 'Cloze' : 'Basic');
      expect(cells[0]).toBe(`stride:cs231n/${facts[i]!.id}`);
    }
    expect(facts.some((i) => i.kind === 'cloze') && facts.some((i) => i.kind === 'basic')).toBe(true);
  });

  test('maths as MathJax, clozes as {{c1::…}}, HTML escaped, no bank $ left', () => {
    expect(ankiField('$(227-11)/4+1 = 55$ and $$a < b$$ **bold** `k`\nnext')).toBe('\\((227-11)/4+1 = 55\\) and \\[a &lt; b\\] <b>bold</b> <code>k</code><br>next');
    expect(ankiField("outputs $55 \\cdot 55 =$ {{c1::290,400}} values <img src=x onerror=alert(1)>")).toBe(
      'outputs \\(55 \\cdot 55 =\\) {{c1::290,400}} values &lt;img src=x onerror=alert(1)&gt;',
    );
    const withMaths = body.filter((l) => l.includes('\\('));
    expect(withMaths.length).toBeGreaterThan(5);
    for (const line of body) expect(line.split('\t').slice(2, 4).join('')).not.toMatch(/\$/);
    expect(body.filter((l) => l.split('\t')[1] === 'Cloze').every((l) => /\{\{c\d+::/.test(l.split('\t')[2]!))).toBe(true);
  });

  test('round trip: export → import gives the same fronts, backs, cloze texts and maths', () => {
    const back = importAnkiText(text, { defaultTopic: 'history', bankId: 'cs231n' });
    expect(back.ok, JSON.stringify(!back.ok && back.errors.slice(0, 3))).toBe(true);
    if (!back.ok) return;
    expect(back.deck).toBe(cs231n.title);
    const facts = cs231n.items.filter((i) => i.kind === 'basic' || i.kind === 'cloze');
    const byId = new Map(back.items.map((i) => [i.id, i]));
    expect(facts.map((i) => shown(byId.get(i.id)!))).toEqual(facts.map(shown));
    // Choice cards go out as Basic notes (Anki has no choice type) and come back as basic cards.
    for (const choice of cs231n.items.filter((i) => i.kind === 'choice')) expect(byId.get(choice.id)).toMatchObject({ kind: 'basic', front: expect.stringContaining(choice.question) });
    // Topics come back from the tags (the topic is the note's first tag).
    expect(back.items.map((i) => i.topic)).toEqual(cs231n.items.filter((i) => i.kind !== 'generated').map((i) => i.topic));
  });
});

describe("Anki's own exports", () => {
  test('"Notes in Plain Text" with headers: notetype and deck columns, {{c2::}} and hints, <br> and entities, MathJax', () => {
    const file = [
      '#separator:tab',
      '#html:true',
      '#guid column:1',
      '#notetype column:2',
      '#deck column:3',
      '#tags column:6',
      'Ab1cD2\tBasic\tCNN\tWhat does a 1&times;1 conv do?\tMixes channels:<br>\\(C_{in} \\to C_{out}\\)&nbsp;&lt;cheap&gt;\tvgg Deep::Nets marked',
      'Xy9\tCloze\tCNN\tVGG stacks {{c1::3×3}} convs; two give a {{c2::5×5::size}} field.\t<b>Why</b>: fewer params\tvgg',
      'Zz0\tCloze (type in)\tCNN\t"He said ""{{c1::residual}}"" \\[y = F(x) + x\\]"\t\t',
    ].join('\n');
    const read = readAnkiText(file, { defaultTopic: 'resnet' });
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.rows.map((r) => [r.line, r.item])).toEqual([
      [7, { id: 'what-does-a-1-1-conv-do', kind: 'basic', topic: 'vgg', tags: ['vgg', 'deep-nets'], front: 'What does a 1×1 conv do?', back: 'Mixes channels:\n$C_{in} \\to C_{out}$ <cheap>' }],
      // Anki makes one card per cloze number; a bank cloze blanks all its deletions: one item per card.
      [8, { id: 'vgg-stacks-3-3-convs-two-give-a-5-5-field-c1', kind: 'cloze', topic: 'vgg', tags: ['vgg'], text: 'VGG stacks {{c1::3×3}} convs; two give a 5×5 field.', extra: '**Why**: fewer params' }],
      [8, { id: 'vgg-stacks-3-3-convs-two-give-a-5-5-field-c2', kind: 'cloze', topic: 'vgg', tags: ['vgg'], text: 'VGG stacks 3×3 convs; two give a {{c1::5×5::size}} field.', extra: '**Why**: fewer params' }],
      [9, { id: 'he-said-residual', kind: 'cloze', topic: 'resnet', tags: [], text: 'He said "{{c1::residual}}" $$y = F(x) + x$$' }],
    ]);
    const imported = importAnkiText(file, { defaultTopic: 'resnet' });
    expect(imported.ok, JSON.stringify(!imported.ok && imported.errors)).toBe(true);
  });

  test('without headers (older Anki): tab-separated front, back and tags; a cloze is told by its deletions', () => {
    const file = 'What is 2+2?\t4\tconv-basics\nResNet won in {{c1::2015}}\t\tresnet history\nNo tags here\tright\n';
    const read = readAnkiText(file, { defaultTopic: 'history' });
    expect(read.ok && read.rows.map((r) => r.item)).toEqual([
      { id: 'what-is-2-2', kind: 'basic', topic: 'history', tags: ['conv-basics'], front: 'What is 2+2?', back: '4' },
      { id: 'resnet-won-in-2015', kind: 'cloze', topic: 'resnet', tags: ['resnet', 'history'], text: 'ResNet won in {{c1::2015}}' },
      { id: 'no-tags-here', kind: 'basic', topic: 'history', tags: [], front: 'No tags here', back: 'right' },
    ]);
  });

  test('#notetype:Cloze for the whole file; bad notes are refused with their line; a broken quote names its line', () => {
    const file = '#separator:tab\n#html:true\n#notetype:Cloze\n{{c1::a}} b\t\nno deletion here\t\n';
    const imported = importAnkiText(file, { defaultTopic: 'history' });
    expect(imported.ok).toBe(false);
    if (imported.ok) return;
    expect(imported.errors).toEqual([expect.objectContaining({ row: 5, message: expect.stringMatching(/deletion/) })]);
    const broken = importAnkiText('#separator:tab\nfront\t"never closed\n', { defaultTopic: 'history' });
    expect(broken.ok === false && broken.errors[0]).toMatchObject({ row: 2, message: expect.stringMatching(/never closed.*line 2/) });
  });

  test('HTML from Anki never becomes markup: tags are dropped, entities decoded to text the bank escapes', () => {
    expect(bankTextOfAnkiHtml('<script>alert(1)</script><div>a</div><div>b &amp; c</div>')).toBe('alert(1)a\nb & c');
    expect(bankTextOfAnkiHtml('[$]x^2[/$] and [$$]\\sum[/$$] &#x3C;tag&#62;')).toBe('$x^2$ and $$\\sum$$ <tag>');
  });
});

describe('the CSV reader', () => {
  test('BOM, CRLF, quoted line breaks, blank rows, detected and declared delimiters, lines of records', () => {
    const read = readCsv('\ufeffa;b;"c;d"\r\n\r\n"x\r\ny";z;w\r\n;;\r\nq;r;s');
    expect(read.delimiter).toBe(';');
    expect(read.records.map((r) => [r.fields, r.line])).toEqual([
      [['a', 'b', 'c;d'], 1],
      [['x\ny', 'z', 'w'], 3],
      [['q', 'r', 's'], 6],
    ]);
    expect(readCsv('a\tb,c\n').records[0]!.fields).toEqual(['a', 'b,c']);
    expect(readCsv('a\tb,c\n', { delimiter: ',' }).records[0]!.fields).toEqual(['a\tb', 'c']);
    expect(readCsv('a,b\nc,"d"x,e', { relaxQuotes: false }).error).toMatchObject({ line: 2, column: 2 });
  });

});
