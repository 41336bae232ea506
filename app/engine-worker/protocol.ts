/**
 * What the engine panel and the engine worker say to each other (types only: this module adds
 * nothing to a page's bundle). The worker does all of the check, the report's words included, so
 * the page ships neither tfjs nor the engine's analysis (docs/decisions/0026-engine-worker.md).
 */
import type { AnswerSource } from '../../engine/question';
import type { Spec } from '../../engine/spec';
import type { FieldMap } from '../../engine/tfjs/browser';
import type { Agreement, ExpectedAnswer, ModelReport, StudentAnswer } from '../engine-report';

/** The stages a check goes through, in order; the first two only on the first check of a page. */
export const STAGES = ['load', 'backend', 'build', 'compare', 'field'] as const;
export type StageId = (typeof STAGES)[number];

export interface PanelRequest {
  spec: Spec;
  answer: ExpectedAnswer;
  source: AnswerSource | null;
  student: StudentAnswer | null;
  /** Also measure the field of the last map as a picture. */
  showField: boolean;
}

export interface PanelOutcome {
  backend: string;
  /** Where the receptive fields were measured (the one-channel field variant: cpu beats WebGL's shader compiles), or null when none was. */
  fieldBackend: string | null;
  /** Why the check is not on WebGL in a worker, or null when it is. */
  fallback: string | null;
  /** The model agrees with the engine and the correct answer does not differ from what it measured. */
  ok: boolean;
  report: ModelReport;
  agreement: Agreement;
  /** Said under a wrong answer (engine-report's studentNote). */
  note: string | null;
  mismatches: { name: string; lines: string[] }[];
  map: FieldMap | null;
  /** Tensors left behind by the check (0 unless something leaked). */
  tensorsLeaked: number;
}

export type ToWorker = { type: 'check'; id: number; request: PanelRequest };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'stage'; id: number; stage: StageId }
  | { type: 'result'; id: number; outcome: PanelOutcome }
  | { type: 'error'; id: number; message: string };
