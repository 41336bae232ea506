import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { grade } from '../../engine/answers';
import type { Answer, Misconception } from '../../engine/question';
import { GradedResult } from './graded-result';

const answer: Answer = { kind: 'count', value: 34_944, unit: 'params', display: '34,944' };
const noBias: Misconception = { id: 'forgot-bias', label: 'forgot the bias', value: { kind: 'count', value: 34_848, unit: 'params' }, explanation: 'One bias per filter.' };
const oneShort: Misconception = { id: 'one-filter-short', label: 'one filter short', value: { kind: 'count', value: 34_848, unit: 'params' }, explanation: 'x' };

function rendered(text: string): string {
  const g = grade({ answer, misconceptions: [noBias, oneShort] }, text);
  const card = { ...g, components: g.components ?? null, answer: answer.display, answerHtml: '34,944', explanationHtml: '', spec: null, source: null };
  return renderToStaticMarkup(<GradedResult result={card as never} />);
}

describe('GradedResult', () => {
  it('shows both misconceptions when two give the same wrong value', () => {
    const html = rendered('34,848');
    expect(html).toContain('data-misconception="forgot-bias"');
    expect(html).toContain('data-misconception="one-filter-short"');
    expect(html).toContain('Looks like: forgot the bias.');
    expect(html).toContain('Or: one filter short.');
  });

  it('shows a rounded answer as its own misconception', () => {
    expect(rendered('35K')).toContain('data-misconception="rounded"');
  });

  it('a result with only `misconception` (no list) still shows it', () => {
    const html = renderToStaticMarkup(
      <GradedResult result={{ correct: false, readAs: 'read as 1', feedback: [], misconception: { id: 'm', label: 'l', explanation: 'e' }, components: null, answerHtml: '', explanationHtml: '' } as never} />,
    );
    expect(html).toContain('data-misconception="m"');
  });
});
