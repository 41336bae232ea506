/**
 * SVG markup of the worked-step pictures, built on the server from numbers only (so /review
 * ships no drawing code). Inputs up to TO_SCALE padded pixels per axis are drawn one cell a
 * pixel with every window; larger ones schematically: the first windows, an ellipsis, the last
 * window and the remainder, with the same arithmetic.
 */
import { countOf } from '../answers/format';
import type { FieldLayer } from './fields';
import type { AxisWindows, LayerWindows } from './windows';
import type { StepFigure } from './figure';

export const TO_SCALE = 32;
const CELL = 14;
const BAR = 9;
const FIRST_SHOWN = 3;

/** The words of the pictures, kept together for translation. */
const TEXT = {
  axis: { h: 'Height', w: 'Width' },
  both: 'Height and width',
  padding: 'padding',
  input: 'input',
  leftOver: (n: number) => `${countOf(n, 'pixel')} left over`,
  overhang: 'the last window hangs over (ceil mode)',
  windowsLabel: (a: AxisWindows, axis: string, out: number) =>
    `${axis}: ${countOf(a.size, 'input pixel')} with ${a.padding} padding on each side make ${a.padded}; a window of ${a.kEff}${a.dilation > 1 ? ` (kernel ${a.kernel}, dilation ${a.dilation})` : ''} moved ${a.stride} at a time fits ${countOf(out, 'position')}, the last covering ${a.starts[a.starts.length - 1]! + 1} to ${a.starts[a.starts.length - 1]! + a.kEff}` +
    (a.remainder > 0 ? `; ${countOf(a.remainder, 'pixel')} left over, dropped by the floor` : a.remainder < 0 ? '; the last window hangs over the end (ceil mode)' : '; nothing left over'),
  windowsCaption: 'The window sliding over the padded input, one bar a position; the last window that fits is darker.',
  schematic: 'Drawn schematically: the first windows, the last, and the count between.',
  fieldLabel: (layers: readonly FieldLayer[]) =>
    `Receptive field on the input, layer by layer: ${layers.map((l) => `${l.name} ${countOf(l.size, 'pixel')} (adds ${l.kEff - 1}·${l.jumpBefore})`).join(', ')}`,
  fieldCaption: (size: number) => `The field of one unit of the last layer grows to ${countOf(size, 'pixel')} across: each layer adds (its window's span − 1) times J, the input pixels between its inputs.`,
};

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const text = (x: number, y: number, s: string, cls = 'steps-label') => `<text x="${x}" y="${y}" class="${cls}">${esc(s)}</text>`;

/** One axis: the strip of padded cells and one bar a window below it. */
function axisStrip(a: AxisWindows, axis: 'h' | 'w', title: string, top: number): { svg: string; height: number } {
  const parts: string[] = [text(0, top + 11, title, 'steps-title')];
  const y0 = top + 18;
  const scale = a.padded <= TO_SCALE;
  const n = a.starts.length;
  if (scale) {
    for (let i = 0; i < a.padded; i++) {
      const pad = i < a.padding || i >= a.padding + a.size;
      parts.push(`<rect x="${i * CELL}" y="${y0}" width="${CELL}" height="${CELL}" class="${pad ? 'steps-pad' : 'steps-cell'}"/>`);
    }
    a.starts.forEach((s, i) => {
      const y = y0 + CELL + 4 + i * (BAR + 2);
      parts.push(`<rect x="${s * CELL + 1}" y="${y}" width="${a.kEff * CELL - 2}" height="${BAR}" class="${i === n - 1 ? 'steps-window steps-last' : 'steps-window'}" data-axis="${axis}" data-index="${i + 1}"/>`);
      parts.push(text(Math.max(s * CELL + 1, 0) + a.kEff * CELL + 3, y + BAR - 1, String(i + 1), 'steps-index'));
    });
    if (a.remainder > 0) parts.push(`<rect x="${(a.padded - a.remainder) * CELL}" y="${y0}" width="${a.remainder * CELL}" height="${CELL}" class="steps-rest"/>`);
    const bottom = y0 + CELL + 4 + n * (BAR + 2) + 14;
    parts.push(text(0, bottom, a.remainder > 0 ? TEXT.leftOver(a.remainder) : a.remainder < 0 ? TEXT.overhang : `${countOf(n, 'position')}`));
    return { svg: parts.join(''), height: bottom - top + 6 };
  }
  // Schematic: the strip scaled to a fixed width, the first windows, an ellipsis, the last.
  const width = TO_SCALE * CELL;
  const px = width / a.padded;
  parts.push(`<rect x="0" y="${y0}" width="${a.padding * px}" height="${CELL}" class="steps-pad"/>`);
  parts.push(`<rect x="${a.padding * px}" y="${y0}" width="${a.size * px}" height="${CELL}" class="steps-cell"/>`);
  parts.push(`<rect x="${(a.padding + a.size) * px}" y="${y0}" width="${a.padding * px}" height="${CELL}" class="steps-pad"/>`);
  parts.push(text(a.padding * px + 4, y0 + CELL - 3, `${a.size} ${TEXT.input}`, 'steps-index'));
  const shown = n <= FIRST_SHOWN + 1 ? a.starts.map((s, i) => [s, i] as const) : [...a.starts.slice(0, FIRST_SHOWN).map((s, i) => [s, i] as const), [a.starts[n - 1]!, n - 1] as const];
  shown.forEach(([s, i], row) => {
    const gap = row === FIRST_SHOWN && n > FIRST_SHOWN + 1;
    const y = y0 + CELL + 4 + (row + (gap ? 1 : 0)) * (BAR + 2);
    if (gap) parts.push(text(4, y - 2, `⋮ ${countOf(n - FIRST_SHOWN - 1, 'more position')}`, 'steps-index'));
    parts.push(`<rect x="${s * px}" y="${y}" width="${Math.max(a.kEff * px, 2)}" height="${BAR}" class="${i === n - 1 ? 'steps-window steps-last' : 'steps-window'}" data-axis="${axis}-schematic" data-index="${i + 1}"/>`);
    parts.push(text(s * px + Math.max(a.kEff * px, 2) + 3, y + BAR - 1, String(i + 1), 'steps-index'));
  });
  if (a.remainder > 0) parts.push(`<rect x="${(a.padded - a.remainder) * px}" y="${y0}" width="${Math.max(a.remainder * px, 2)}" height="${CELL}" class="steps-rest"/>`);
  const rows = shown.length + (n > FIRST_SHOWN + 1 ? 1 : 0);
  const bottom = y0 + CELL + 4 + rows * (BAR + 2) + 14;
  parts.push(text(0, bottom, `${countOf(n, 'position')}${a.remainder > 0 ? `, ${TEXT.leftOver(a.remainder)}` : ''}`));
  return { svg: parts.join(''), height: bottom - top + 6 };
}

/** The step-through of a conv or pool layer's windows; one strip when both axes are the same. */
export function windowsFigure(w: LayerWindows): StepFigure {
  const same = JSON.stringify(w.height) === JSON.stringify(w.width);
  const strips: string[] = [];
  let top = 0;
  const axes: ['h' | 'w', AxisWindows, string][] = same ? [['h', w.height, TEXT.both]] : [['h', w.height, TEXT.axis.h], ['w', w.width, TEXT.axis.w]];
  for (const [axis, a, title] of axes) {
    const s = axisStrip(a, axis, title, top);
    strips.push(s.svg);
    top += s.height;
  }
  const width = Math.max(...axes.map(([, a]) => (a.padded <= TO_SCALE ? a.padded : TO_SCALE) * CELL)) + 40;
  const schematic = w.height.padded > TO_SCALE || w.width.padded > TO_SCALE;
  return {
    kind: 'windows',
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${top}" width="${width}" height="${top}" aria-hidden="true">${strips.join('')}</svg>`,
    label: axes.map(([, a, title]) => TEXT.windowsLabel(a, title, a.starts.length)).join('. '),
    caption: schematic ? `${TEXT.windowsCaption} ${TEXT.schematic}` : TEXT.windowsCaption,
    data: {
      'positions-h': String(w.height.starts.length),
      'positions-w': String(w.width.starts.length),
      'same-axes': String(same),
      schematic: String(schematic),
    },
  };
}

/** The receptive field on the input grid: one square a layer, centred, growing. */
export function fieldFigure(layers: readonly FieldLayer[]): StepFigure {
  const size = layers[layers.length - 1]!.size;
  const grid = size + 2;
  const cell = Math.max(2, Math.min(12, Math.floor(300 / grid)));
  const side = grid * cell;
  const parts: string[] = [`<rect x="0" y="0" width="${side}" height="${side}" class="steps-cell"/>`];
  if (cell >= 5) for (let i = 1; i < grid; i++) parts.push(`<path d="M${i * cell} 0V${side}M0 ${i * cell}H${side}" class="steps-grid"/>`);
  // Biggest first, so the smaller fields are drawn on top.
  [...layers].reverse().forEach((l, j) => {
    const at = ((grid - l.size) / 2) * cell;
    parts.push(`<rect x="${at}" y="${at}" width="${l.size * cell}" height="${l.size * cell}" class="steps-field steps-field-${(layers.length - 1 - j) % 6}" data-rf-size="${l.size}" data-layer="${esc(l.name)}"/>`);
  });
  const c = ((grid - 1) / 2) * cell;
  parts.push(`<rect x="${c}" y="${c}" width="${cell}" height="${cell}" class="steps-last"/>`);
  const legendX = side + 12;
  layers.forEach((l, i) => parts.push(text(legendX, 14 + i * 16, `${l.name}: ${l.size} (J = ${l.jumpBefore})`, `steps-label steps-field-text-${i % 6}`)));
  const width = legendX + 170;
  const height = Math.max(side, 14 + layers.length * 16);
  return {
    kind: 'field',
    svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-hidden="true">${parts.join('')}</svg>`,
    label: TEXT.fieldLabel(layers),
    caption: TEXT.fieldCaption(size),
    data: { 'rf-width': String(size), layers: String(layers.length) },
  };
}
