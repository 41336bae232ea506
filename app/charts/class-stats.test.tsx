/**
 * The class page's statistics section from hand-written figures: the families being forgotten
 * listed first with their reasons, the answered items least retained first, titles as text.
 */
import { parseHTML } from 'linkedom';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { ClassStatistics } from '../components/class-stats';
import type { ClassFamilyStats, ClassStats, ItemRetention } from '~/stats/types';
import { getFamily } from '../../engine/families';
import { classStatistics } from './stats-charts.server';

const pf = (passed: number, failed: number) => ({ passed, failed, rate: passed + failed ? passed / (passed + failed) : null });
const bins = [{ from: 0.8, to: 0.9, predicted: 0.86, actual: 0.7, count: 40 }];

function family(id: string, forgetting: string | null): ClassFamilyStats {
  return { family: id, reviews: 60, retention: pf(45, 15), medianMs: 12_000, misconception: { id: 'no-padding', count: 9 }, predicted: 0.86, actual: 0.7, students: 3, calibration: bins, recent: pf(20, 10), previous: pf(25, 5), forgetting };
}

function item(itemId: string, passed: number, failed: number, reviews: number): ItemRetention {
  return { itemId, title: `Title of ${itemId}`, family: null, students: 2, reviews, retention: pf(passed, failed), predicted: 0.9, actual: 0.8 };
}

const hostile = '<img src=x onerror=alert(1)>';
const stats: ClassStats = {
  classId: 7,
  className: 'CNN 101',
  students: 3,
  reviews: 120,
  desiredRetention: 0.9,
  calibration: { bins, reviews: 40 },
  items: [item('cs231n/a', 9, 1, 10), item('cs231n/never', 0, 0, 0), item('cs231n/b', 3, 7, 10), item(`cs231n/${hostile}`, 5, 5, 10)],
  families: [family('conv-output-size', 'Recent retention 66.7% is below the class’s target of 90.0%.'), family('fc-params', null)],
};

function page() {
  const html = renderToStaticMarkup(<ClassStatistics view={classStatistics(stats)} />);
  return { html, document: parseHTML(`<!doctype html><html><body>${html}</body></html>`).document };
}

describe('the class statistics section', () => {
  test('what the class is forgetting: only the families with a reason, each with it', () => {
    const { document } = page();
    const items = Array.from(document.querySelectorAll('[data-testid=forgetting] li'));
    expect(items.map((li) => li.getAttribute('data-family'))).toEqual(['conv-output-size']);
    // The family by its title, the engine's, then its reason.
    expect(items[0]!.textContent!.startsWith(`${getFamily('conv-output-size').title}: Recent retention`)).toBe(true);
    expect(items[0]!.textContent).toContain('Recent retention 66.7% is below the class’s target of 90.0%.');
    expect(items[0]!.textContent).toContain('Last 30 days 66.7% (20 of 30); the 30 before 83.3% (25 of 30)');
    // The section starts with it: before calibration and the tables.
    const headings = Array.from(document.querySelectorAll('h3')).map((h) => h.textContent);
    expect(headings[0]).toBe('What the class is forgetting');
  });
  test('families: a row and a small calibration chart each; items: the answered ones, least retained first', () => {
    const { document, html } = page();
    expect(document.querySelectorAll('[data-testid=class-families] tbody tr')).toHaveLength(2);
    expect(document.querySelectorAll('[data-testid=family-calibration-chart] svg.plot-chart')).toHaveLength(2);
    const rows = Array.from(document.querySelectorAll('[data-testid=class-items] tbody tr')).map((r) => r.getAttribute('data-item'));
    expect(rows).toEqual(['cs231n/b', `cs231n/${hostile}`, 'cs231n/a']);
    expect(html).toContain('Items answered (3 of 4)');
    // A title from a bank is text.
    expect(html).not.toContain('<img');
    expect(document.querySelectorAll('img')).toHaveLength(0);
  });
});
