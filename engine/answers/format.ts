/**
 * Display of answers, in the forms readAnswer reads back exactly: counts with comma groups
 * ("34,944"), shapes H×W×C ("55×55×96"), percents with a sign ("12.5%"), choices by label.
 */
import type { AnswerValue, CountUnit } from '../question';

/** How a count's unit is written to a person: "34,944 params", "1.4G FLOPs". */
export const COUNT_UNIT_NAMES: Record<CountUnit, string> = {
  params: 'params', weights: 'weights', macs: 'MACs', flops: 'FLOPs', values: 'values', bytes: 'bytes',
  channels: 'channels', layers: 'layers', pixels: 'pixels', blocks: 'blocks', paths: 'paths', convs: 'convolutions', units: 'units',
};

/** "34944" → "34,944"; "1234.5" → "1,234.5"; exponent forms (tiny or huge numbers) are left as JS writes them. */
export function groupThousands(n: number): string {
  const written = String(Math.abs(n));
  const sign = n < 0 ? '-' : '';
  if (/e/i.test(written)) return `${sign}${written}`;
  const [integer = '', fraction] = written.split('.');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

export function formatAnswer(value: AnswerValue): string {
  switch (value.kind) {
    case 'count':
      return formatCount(value.value);
    case 'shape':
      return value.value.join('×');
    case 'number':
      return groupThousands(value.value);
    case 'percent':
      return `${groupThousands(value.value)}%`;
    case 'choice':
      return value.options.find((o) => o.key === value.value)?.label ?? value.value;
  }
}

/**
 * A count with exactly three decimals gets a fourth (34.9440): the reader refuses "34.944" for a
 * count as ambiguous (a decimal point, or a European thousands separator?).
 */
function formatCount(n: number): string {
  const text = groupThousands(n);
  return /\.\d{3}$/.test(text) ? `${text}0` : text;
}

const ENGLISH_PLURALS = new Intl.PluralRules('en-US');

/** The noun for `count` things: "side" for 1, "sides" otherwise (English plural rules). */
export function nounFor(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return ENGLISH_PLURALS.select(count) === 'one' ? noun : pluralNoun;
}

/**
 * A count and its noun, as a person reads it: "1 side", "2 sides", "1,000 attempts". Pass the
 * plural when it is not the noun + "s" ("1 query", "2 queries").
 */
export function countOf(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${groupThousands(count)} ${nounFor(count, noun, pluralNoun)}`;
}
