/**
 * Typed errors of the engine: a person can act on them (what was wrong, where, which numbers).
 */

/** An invalid network spec. `layer` is the path of the offending layer (`features/conv3`), or `input`. */
export class SpecError extends Error {
  override name = 'SpecError';
  readonly layer: string;

  constructor(layer: string, message: string) {
    super(`${layer}: ${message}`);
    this.layer = layer;
  }
}

/** An architecture id that is not in the zoo; `usage` lets the CLI report it as bad input (exit 2). */
export class UnknownArchError extends Error {
  override name = 'UnknownArchError';
  readonly usage = true;
  readonly id: string;
  readonly known: readonly string[];

  constructor(id: string, known: readonly string[]) {
    super(`unknown architecture '${id}'; known: ${known.join(', ')}`);
    this.id = id;
    this.known = known;
  }
}
