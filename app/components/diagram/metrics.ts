/** Sizes shared by the layout (to size boxes) and the renderer (to draw their text): no elkjs here. */
import type { DiagramNode } from './graph';

/** Text metrics the renderer uses too: a monospace font, so a line's width is its length times a constant. */
export const DIAGRAM_FONT = { size: 11, lineHeight: 14, charWidth: 6.7, padX: 8, padY: 6 } as const;
/** Room above a group's parts for its label and its collapse button. */
export const GROUP_HEADER = 26;
/** Room around a group's parts. */
export const GROUP_PAD = 10;

/** Room at the right of a collapsed block's first line for its expand button (in characters). */
const BUTTON_CHARS = 4;

export function nodeSize(node: Pick<DiagramNode, 'lines' | 'collapsible'>): { width: number; height: number } {
  const longest = Math.max(...node.lines.map((l, i) => l.length + (i === 0 && node.collapsible ? BUTTON_CHARS : 0)));
  return {
    width: Math.ceil(longest * DIAGRAM_FONT.charWidth + 2 * DIAGRAM_FONT.padX),
    height: node.lines.length * DIAGRAM_FONT.lineHeight + 2 * DIAGRAM_FONT.padY,
  };
}
