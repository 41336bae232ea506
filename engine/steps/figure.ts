/** A picture of worked steps as the server sends it: SVG markup built from numbers only, with its text alternative. */
export interface StepFigure {
  kind: 'windows' | 'field';
  /** SVG markup (numbers and fixed strings only, never bank text). */
  svg: string;
  /** The text alternative: every number the picture shows. */
  label: string;
  caption: string;
  /** data-* attributes for tests and styling, e.g. { 'positions-h': '55' }. */
  data: Record<string, string>;
}
