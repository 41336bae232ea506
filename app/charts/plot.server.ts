/**
 * Observable Plot on the server: a chart is drawn into linkedom's document and leaves as an SVG
 * string, so no chart code ships to the browser (docs/decisions/0021-charts.md). Plot sets every
 * text with textContent, which linkedom serialises escaped, so a bank title or family name on an
 * axis stays text. Attribute values are another matter (linkedom leaves `&` and `<` in them as
 * they are), so no text of ours goes into an attribute here: the chart's label is the page's,
 * on the element React writes around the SVG. The <style> Plot puts in each SVG is removed (its
 * rules are in app/styles/charts.css under the same class), so the page needs no inline style.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/** The class of every chart's <svg>; charts.css gives it Plot's own rules. */
export const CHART_CLASS = 'plot-chart';

/** Width in SVG units: the SVG scales down with its box (max-width 100%), never clipped. */
export const CHART_WIDTH = 640;

export interface ChartText {
  /** What the chart shows, with its main figures, for a screen reader ("Reviews due per day…"). */
  label: string;
}

/** One chart as the page inserts it: the SVG, and the label of the role="img" element around it. */
export interface RenderedChart {
  svg: string;
  label: string;
}

/**
 * Renders Plot `options` to an SVG string. Options that would make Plot wrap the SVG in a
 * <figure> with inline styles (title, subtitle, caption, legend) are the page's job, not Plot's:
 * the page writes the title and the text alternative itself.
 */
export function renderChart(options: Omit<Plot.PlotOptions, 'document' | 'className' | 'title' | 'subtitle' | 'caption'>, { label }: ChartText): RenderedChart {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const chart = Plot.plot({ width: CHART_WIDTH, ...options, document: document as unknown as Document, className: CHART_CLASS }) as unknown as Element;
  if (chart.tagName.toLowerCase() !== 'svg') throw new Error(`a chart rendered a <${chart.tagName.toLowerCase()}>, not an <svg>: leave titles and legends to the page`);
  // Plot's <style> is the SVG's first child (plot.js appends it before any mark).
  for (const style of Array.from(chart.children).filter((c) => c.tagName.toLowerCase() === 'style')) style.remove();
  return { svg: withoutAria(chart.outerHTML), label };
}

/**
 * Plot names each mark's <g> with aria-label ("bar", "x-axis tick") and hides the axes with
 * aria-hidden; ARIA forbids a label on a <g> without a role, and inside the role="img" box the
 * parts say nothing anyway. The name moves to data-mark (tests find the marks by it), the rest
 * goes. Done on the string, not the DOM: a selector walk over linkedom's nodes cost more than
 * the chart's own drawing. Safe because every attribute value here is Plot's own constant and
 * the serialiser escapes the quote, so the pattern cannot start inside a value.
 */
export function withoutAria(svg: string): string {
  return svg.replace(/ aria-label="/g, ' data-mark="').replace(/ aria-(?:hidden|description)="[^"]*"/g, '');
}

/** Charts kept, by what they were drawn from: at most this many (about 20 KB each). */
const KEPT_CHARTS = 300;
const kept = new Map<string, RenderedChart | null>();

/**
 * `draw(input)`, or the chart already drawn from an equal input under the same name. Drawing
 * costs 5–20 ms a chart (Plot on linkedom), and most of a page's charts do not depend on the
 * period or change between two visits (forecast, calendar, card counts, the distributions), so a
 * student switching periods redraws only the charts whose figures changed. The key is the
 * input's JSON: figures are plain data (app/stats/types.ts).
 */
export function keptChart<T, R extends RenderedChart | null>(name: string, input: T, draw: (input: T) => R): R {
  const key = `${name}\u0000${JSON.stringify(input)}`;
  const hit = kept.get(key);
  if (hit !== undefined) {
    // Least recently used goes first: a hit moves to the end.
    kept.delete(key);
    kept.set(key, hit);
    return hit as R;
  }
  const chart = draw(input);
  kept.set(key, chart);
  if (kept.size > KEPT_CHARTS) kept.delete(kept.keys().next().value!);
  return chart;
}

export { Plot };
