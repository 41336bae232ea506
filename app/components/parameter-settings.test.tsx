import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { OptimizerRunRow } from '../../db/schema';
import { runView } from '../models/parameter-view.server';
import { RunsTable } from './parameter-settings';

const W = Array.from({ length: 21 }, (_, i) => 0.1 * (i + 1));

function row(fields: Partial<OptimizerRunRow>): OptimizerRunRow {
  return {
    id: 7,
    userId: 1,
    classId: null,
    trigger: 'manual',
    status: 'done',
    requestedAt: new Date('2026-03-29T00:30:00Z'),
    startedAt: null,
    finishedAt: null,
    progressDone: 0,
    progressTotal: 0,
    reviewsUsed: 412,
    trainItems: 250,
    testItems: 62,
    membersUsed: null,
    parameters: JSON.stringify(W),
    baselineParameters: null,
    baselineRunId: null,
    logLoss: 0.43714,
    rmseBins: 0.16159,
    baselineLogLoss: 0.44431,
    baselineRmseBins: 0.16921,
    defaultLogLoss: 0.44431,
    defaultRmseBins: 0.16921,
    kept: true,
    reason: 'kept: predicts the held-out reviews better (log loss 0.4371 against 0.4443)',
    ...fields,
  };
}

const table = (rows: OptimizerRunRow[], timeZone = 'UTC') => renderToStaticMarkup(<RunsTable runs={rows.map((r) => runView(r, timeZone))} caption="c" triggerName="You" testId="runs" />);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('runView', () => {
  it('writes the time in the viewer’s zone, across the change to summer time', () => {
    // London moves to BST at 01:00 UTC on 29 March 2026.
    expect(runView(row({}), 'Europe/London').when).toBe('29 Mar 2026, 00:30');
    expect(runView(row({ requestedAt: new Date('2026-03-29T01:30:00Z') }), 'Europe/London').when).toBe('29 Mar 2026, 02:30');
    expect(runView(row({}), 'Asia/Kolkata').when).toBe('29 Mar 2026, 06:00');
  });

  it('refuses a damaged stored set instead of showing it', () => {
    expect(() => runView(row({ parameters: '[1,2,3]' }), 'UTC')).toThrow(/expected 21 finite numbers/);
  });
});

describe('RunsTable', () => {
  it('shows each figure to 4 decimals and the verdict once', () => {
    const html = table([row({})]);
    expect(html).toContain('data-metric="fitted-logLoss">0.4371<');
    expect(html).toContain('data-metric="fitted-rmseBins">0.1616<');
    expect(html).toContain('data-metric="baseline-logLoss">0.4443<');
    expect(html).toContain('data-metric="default-rmseBins">0.1692<');
    expect(text(html)).toContain('Kept: predicts the held-out reviews better (log loss 0.4371 against 0.4443)');
    expect(text(html)).not.toMatch(/kept: kept/i);
    expect(text(html)).toContain('412 (250 train / 62 held-out items)');
    // w0 … w20, each to 4 decimals.
    expect(html).toContain('<th scope="row">w0</th><td class="num">0.1000</td>');
    expect(html).toContain('<th scope="row">w20</th><td class="num">2.1000</td>');
  });

  it('says a failure’s error, a refusal’s reason, and a run in flight, with dashes for the figures it has not', () => {
    const failed = row({ id: 1, status: 'failed', parameters: null, logLoss: null, rmseBins: null, kept: false, reason: 'failed: the optimizer failed on 40 reviews: NotEnoughData' });
    const short = row({ id: 2, parameters: null, logLoss: null, rmseBins: null, baselineLogLoss: null, baselineRmseBins: null, defaultLogLoss: null, defaultRmseBins: null, kept: false, reason: 'too short: 120 reviews, and a fit needs 200' });
    const running = row({ id: 3, status: 'running', parameters: null, logLoss: null, rmseBins: null, kept: false, reason: null, progressDone: 40, progressTotal: 100 });
    const worse = row({ id: 4, kept: false, reason: 'not kept: predicts the held-out reviews worse (…)' });
    const t = text(table([failed, short, running, worse]));
    expect(t).toContain('Failed: the optimizer failed on 40 reviews: NotEnoughData');
    expect(t).toContain('Not fitted: too short: 120 reviews, and a fit needs 200');
    expect(t).toContain('Running: 40 of 100.');
    expect(t).toContain('Not kept: predicts the held-out reviews worse (…)');
    expect(table([short])).toContain('data-metric="fitted-logLoss">—<');
  });

  it('says who started a run', () => {
    expect(text(table([row({ trigger: 'auto' })]))).toContain('Automatic');
    expect(text(table([row({})]))).toContain(' You ');
  });
});
