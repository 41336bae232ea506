/**
 * Accessibility audits in the browser with axe-core: the WCAG 2.0 and 2.1 rules of levels A and
 * AA, run on the page as the student sees it. Only serious and critical violations count (the
 * issue's bar); each failure names the rule, what it asks for and the elements that break it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AxeResults, ImpactValue, Result } from 'axe-core';
import type { Page } from 'playwright-core';
import { repoRoot } from './server';

/** The rule sets audited: WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;
/** The impacts that fail an audit. */
export const FAILING_IMPACTS: readonly ImpactValue[] = ['serious', 'critical'];

let axeSource: string | null = null;
function axeScript(): string {
  axeSource ??= readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export interface Audit {
  /** The page's name in messages ("review, result shown"). */
  name: string;
  url: string;
  /** Serious and critical violations only. */
  violations: Result[];
  /** Every violation axe found, whatever its impact (for a report). */
  all: Result[];
  /** How long the run took in the page, injection included. */
  ms: number;
}

/**
 * Injects axe-core into `page` (once per document) and audits it. The pages send a
 * Content-Security-Policy whose script-src allows only this site and the response's nonce, so a
 * plain injected <script> would be refused: the tag carries the nonce of the page's own scripts.
 */
export async function audit(page: Page, { name }: { name: string }): Promise<Audit> {
  const started = performance.now();
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!present) {
    const nonce = await page.evaluate(() => document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '');
    // addScriptTag has no nonce option: insert the script the page's way, with its nonce.
    await page.evaluate(
      ({ source, nonce }) => {
        const script = document.createElement('script');
        if (nonce) script.nonce = nonce;
        script.textContent = source;
        document.head.appendChild(script);
        script.remove();
      },
      { source: axeScript(), nonce },
    );
    const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
    if (!loaded) throw new Error(`axe-core did not load into ${page.url()} (${name}): the page's Content-Security-Policy refused the script?`);
  }
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(ctx: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    [...WCAG_TAGS],
  );
  const ms = performance.now() - started;
  return { name, url: page.url(), violations: results.violations.filter((v) => FAILING_IMPACTS.includes(v.impact ?? null)), all: results.violations, ms };
}

/** What is wrong, to act on: per rule, its id, impact and help text, its page, and each offending element's selector and summary. */
export function describeViolations(result: Audit): string {
  if (result.violations.length === 0) return `${result.name}: no serious or critical violations`;
  const lines = [`${result.name} (${result.url}): ${result.violations.length} serious or critical accessibility violation(s)`];
  for (const v of result.violations) {
    lines.push(`- ${v.id} [${v.impact}]: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes) {
      const summary = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ').trim();
      lines.push(`    ${node.target.join(' ')}${summary ? ` — ${summary}` : ''}`);
    }
  }
  return lines.join('\n');
}

/** Throws, naming every serious or critical violation of `result`, unless there are none. */
export function assertNoViolations(result: Audit): void {
  if (result.violations.length > 0) throw new Error(describeViolations(result));
}

/** Audits `page` and throws, naming every serious or critical violation, unless there are none. */
export async function expectAccessible(page: Page, options: { name: string }): Promise<Audit> {
  const result = await audit(page, options);
  assertNoViolations(result);
  return result;
}
