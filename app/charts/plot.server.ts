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
  for (const style of Array.from(chart.querySelectorAll('style'))) style.remove();
  // Plot names each mark's <g> with aria-label ("bar", "x-axis tick"); ARIA forbids a label on a
  // <g> without a role, and inside the role="img" box the parts say nothing anyway: the name
  // moves to data-mark (tests find the marks by it), the hints go.
  for (const el of Array.from(chart.querySelectorAll('[aria-label], [aria-hidden], [aria-description]'))) {
    const mark = el.getAttribute('aria-label');
    for (const name of ['aria-label', 'aria-hidden', 'aria-description']) el.removeAttribute(name);
    if (mark !== null) el.setAttribute('data-mark', mark);
  }
  return { svg: chart.outerHTML, label };
}

export { Plot };
