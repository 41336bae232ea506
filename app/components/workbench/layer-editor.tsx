/**
 * The workbench's layer editor: one card per layer, nested for blocks, branches and skips. Fields
 * are text boxes read as the person types (a pair as "3" or "3,5"); a value that is not a number
 * is refused at its field, one that is a number goes to the engine, whose error comes back here
 * at the layer that causes it.
 */
import { useEffect, useId, useState } from 'react';
import type { Layer, LayerKind, Spec } from '../../../engine/spec';
import { ADDABLE_KINDS, newLayer, pairText, paddingText, pathKey, projectionFor, readPadding, readPair, type JsonPath } from '~/workbench/edit';

export const EDITOR_TEXT = {
  kinds: {
    conv: 'Convolution',
    maxpool: 'Max pool',
    avgpool: 'Average pool',
    globalavgpool: 'Global average pool',
    adaptiveavgpool: 'Adaptive average pool',
    dense: 'Fully connected (dense)',
    flatten: 'Flatten',
    lrn: 'Local response normalisation',
    batchnorm: 'Batch norm',
    relu: 'ReLU',
    dropout: 'Dropout',
    concat: 'Branches into a concat (inception-like)',
    residual: 'Residual add (skip)',
    block: 'Block (a named group)',
  } satisfies Record<LayerKind, string>,
  notPair: 'write a whole number, or two as 3,5 (height, width)',
  notNumber: 'write a whole number',
  notPadding: "write a number, h,w, top,bottom,left,right, 'same' or 'valid'",
  notRate: 'write a number from 0 to 1',
  add: 'Add',
  addHere: (where: string) => `Add a layer ${where}`,
  remove: 'Remove',
  up: 'Move up',
  down: 'Move down',
  addBranch: 'Add a branch',
  removeBranch: 'Remove this branch',
  addProjection: 'Add a projection shortcut (1×1 conv)',
  removeProjection: 'Use the identity shortcut',
  body: 'Body',
  shortcut: 'Shortcut (projection)',
  identity: 'Shortcut: identity',
  branch: (i: number) => `Branch ${i}`,
  emptyBranch: 'empty: passes the input through',
  empty: 'No layers yet.',
} as const;

export type EditSpec = (edit: (spec: Spec) => Spec) => void;

export interface LayerEditorProps {
  layers: readonly Layer[];
  listPath: JsonPath;
  /** Engine path of each layer, by the key of its JSON path. */
  paths: ReadonlyMap<string, string>;
  /** The engine's error: the engine path it names and the message (without the path). */
  error: { layer: string; message: string } | null;
  /** Output shape of each engine path, from the last valid analysis. */
  outputs: ReadonlyMap<string, string>;
  stale: boolean;
  edit: EditSpec;
  insertAt(listPath: JsonPath, index: number, layer: Layer): void;
  removeAt(listPath: JsonPath, index: number): void;
  moveAt(listPath: JsonPath, index: number, delta: -1 | 1): void;
  update(path: JsonPath, patch: Record<string, unknown>): void;
  /** Blocks open at first (small networks). */
  openBlocks: boolean;
}

export function LayerList(props: LayerEditorProps & { where: string }) {
  const { layers, listPath } = props;
  return (
    <div className="wb-list">
      {layers.length === 0 && <p className="muted">{EDITOR_TEXT.empty}</p>}
      <ol>
        {layers.map((layer, i) => (
          <li key={i}>
            <LayerCard {...props} layer={layer} index={i} count={layers.length} path={[...listPath, i]} />
          </li>
        ))}
      </ol>
      <AddLayer where={props.where} onAdd={(kind) => props.insertAt(listPath, layers.length, newLayer(kind, layers.length + 1))} />
    </div>
  );
}

function AddLayer({ where, onAdd }: { where: string; onAdd(kind: LayerKind): void }) {
  const id = useId();
  const [kind, setKind] = useState<LayerKind>('conv');
  return (
    <p className="wb-add">
      <label htmlFor={id}>{EDITOR_TEXT.addHere(where)}</label>{' '}
      <select id={id} value={kind} onChange={(e) => setKind(e.target.value as LayerKind)}>
        {ADDABLE_KINDS.map((k) => (
          <option key={k} value={k}>
            {EDITOR_TEXT.kinds[k]}
          </option>
        ))}
      </select>{' '}
      <button type="button" className="secondary" onClick={() => onAdd(kind)}>
        {EDITOR_TEXT.add}
      </button>
    </p>
  );
}

/** Which field an engine message is about ("kernel must be…", "groups 3 must divide…"), when it names one. */
function fieldOfMessage(message: string): string | null {
  const m = /^(filters|kernel|stride|dilation|groups|padding|units|rate|size|output height|output width)\b/.exec(message);
  if (!m) return null;
  return m[1]!.startsWith('output') ? 'output' : m[1]!;
}

function LayerCard(props: LayerEditorProps & { layer: Layer; index: number; count: number; path: JsonPath }) {
  const { layer, path, paths, error, outputs, index, count, listPath } = props;
  const enginePath = paths.get(pathKey(path)) ?? '';
  const id = useId();
  const mine = error && error.layer === enginePath ? error.message : null;
  const errorId = `${id}-engine-error`;
  const badField = mine ? (fieldOfMessage(mine) ?? '*') : null;
  const output = outputs.get(enginePath);
  const fieldProps = (name: string) => ({ invalid: badField === '*' || badField === name, describedBy: mine ? errorId : undefined });
  const set = (patch: Record<string, unknown>) => props.update(path, patch);
  const container = layer.kind === 'block' || layer.kind === 'concat' || layer.kind === 'residual';
  const head = (
    <>
      <span className="wb-kind">{EDITOR_TEXT.kinds[layer.kind] ?? layer.kind}</span> <code className="wb-path">{enginePath}</code>
      {output !== undefined && (
        <span className={props.stale ? 'wb-out stale' : 'wb-out'} data-output={output}>
          {' '}
          → {output}
        </span>
      )}
    </>
  );
  const body = (
    <>
      <div className="wb-fields">
        {layer.kind === 'conv' && (
          <>
            <NumberField label="Filters" value={layer.filters} onValue={(v) => set({ filters: v })} {...fieldProps('filters')} />
            <PairField label="Kernel" value={layer.kernel} fallback={1} onValue={(v) => set({ kernel: v })} {...fieldProps('kernel')} />
            <PairField label="Stride" value={layer.stride} fallback={1} onValue={(v) => set({ stride: v })} {...fieldProps('stride')} />
            <PaddingField value={layer.padding} onValue={(v) => set({ padding: v })} {...fieldProps('padding')} />
            <PairField label="Dilation" value={layer.dilation} fallback={1} onValue={(v) => set({ dilation: v })} {...fieldProps('dilation')} />
            <NumberField label="Groups" value={layer.groups ?? 1} onValue={(v) => set({ groups: v === 1 ? undefined : v })} {...fieldProps('groups')} />
            <CheckField label="Bias" checked={layer.bias !== false} onChecked={(b) => set({ bias: b ? undefined : false })} />
          </>
        )}
        {(layer.kind === 'maxpool' || layer.kind === 'avgpool') && (
          <>
            <PairField label="Kernel" value={layer.kernel} fallback={1} onValue={(v) => set({ kernel: v })} {...fieldProps('kernel')} />
            <PairField label="Stride" value={layer.stride ?? layer.kernel} fallback={1} onValue={(v) => set({ stride: v })} {...fieldProps('stride')} />
            <PaddingField value={layer.padding} onValue={(v) => set({ padding: v })} {...fieldProps('padding')} />
            <CheckField label="Ceil mode" checked={layer.ceilMode === true} onChecked={(b) => set({ ceilMode: b ? true : undefined })} />
          </>
        )}
        {layer.kind === 'dense' && (
          <>
            <NumberField label="Units" value={layer.units} onValue={(v) => set({ units: v })} {...fieldProps('units')} />
            <CheckField label="Bias" checked={layer.bias !== false} onChecked={(b) => set({ bias: b ? undefined : false })} />
          </>
        )}
        {layer.kind === 'adaptiveavgpool' && <PairField label="Output size" value={layer.output} fallback={1} onValue={(v) => set({ output: v })} {...fieldProps('output')} />}
        {layer.kind === 'dropout' && <RateField value={layer.rate} onValue={(v) => set({ rate: v })} {...fieldProps('rate')} />}
        {layer.kind === 'lrn' && <NumberField label="Size" value={layer.size ?? 5} onValue={(v) => set({ size: v === 5 ? undefined : v })} {...fieldProps('size')} />}
      </div>
      {mine && (
        <p id={errorId} className="field-error wb-engine-error" role="alert" data-testid="engine-error">
          {mine}
        </p>
      )}
      <p className="wb-tools">
        <button type="button" className="secondary" onClick={() => props.moveAt(listPath, index, -1)} disabled={index === 0} aria-label={`${EDITOR_TEXT.up}: ${enginePath}`}>
          ↑
        </button>{' '}
        <button type="button" className="secondary" onClick={() => props.moveAt(listPath, index, 1)} disabled={index === count - 1} aria-label={`${EDITOR_TEXT.down}: ${enginePath}`}>
          ↓
        </button>{' '}
        <button type="button" className="secondary" onClick={() => props.removeAt(listPath, index)} aria-label={`${EDITOR_TEXT.remove}: ${enginePath}`}>
          {EDITOR_TEXT.remove}
        </button>
      </p>
      {layer.kind === 'block' && <LayerList {...props} layers={layer.layers} listPath={[...path, 'layers']} where={`inside ${enginePath}`} />}
      {layer.kind === 'residual' && (
        <div className="wb-residual">
          <h4>{EDITOR_TEXT.body}</h4>
          <LayerList {...props} layers={layer.body} listPath={[...path, 'body']} where={`to the body of ${enginePath}`} />
          {layer.shortcut && layer.shortcut.length > 0 ? (
            <>
              <h4>{EDITOR_TEXT.shortcut}</h4>
              <LayerList {...props} layers={layer.shortcut} listPath={[...path, 'shortcut']} where={`to the shortcut of ${enginePath}`} />
              <button type="button" className="secondary" onClick={() => set({ shortcut: undefined })}>
                {EDITOR_TEXT.removeProjection}
              </button>
            </>
          ) : (
            <p>
              {EDITOR_TEXT.identity}{' '}
              <button type="button" className="secondary" onClick={() => set({ shortcut: projectionFor(layer) })}>
                {EDITOR_TEXT.addProjection}
              </button>
            </p>
          )}
        </div>
      )}
      {layer.kind === 'concat' && (
        <div className="wb-branches">
          {layer.branches.map((branch, j) => (
            <div key={j} className="wb-branch">
              <h4>
                {EDITOR_TEXT.branch(j + 1)}
                {branch.length === 0 && <span className="muted"> ({EDITOR_TEXT.emptyBranch})</span>}
              </h4>
              <LayerList {...props} layers={branch} listPath={[...path, 'branches', j]} where={`to branch ${j + 1} of ${enginePath}`} />
              {layer.branches.length > 1 && (
                <button type="button" className="secondary" onClick={() => set({ branches: layer.branches.filter((_, k) => k !== j) })}>
                  {EDITOR_TEXT.removeBranch}
                </button>
              )}
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => set({ branches: [...layer.branches, [{ kind: 'conv', filters: 16, kernel: 1 }]] })}>
            {EDITOR_TEXT.addBranch}
          </button>
        </div>
      )}
    </>
  );
  return (
    <section className={mine ? 'wb-layer invalid' : 'wb-layer'} data-layer={enginePath} data-invalid={mine ? 'true' : undefined} aria-label={`${enginePath} (${layer.kind})`}>
      {container ? (
        <details open={props.openBlocks}>
          <summary>{head}</summary>
          {body}
        </details>
      ) : (
        <>
          <p className="wb-head">{head}</p>
          {body}
        </>
      )}
    </section>
  );
}

interface FieldBase {
  invalid: boolean;
  describedBy: string | undefined;
}

/**
 * A text box holding what the person typed; `read` turns it into a value (null: not one), sent up
 * as soon as it reads. The box follows the value when it changes from elsewhere.
 */
function TextField<T>({ label, value, show, read, onValue, problem, invalid, describedBy, name, width = 6 }: FieldBase & { label: string; value: T; show(v: T): string; read(text: string): T | null; onValue(v: T): void; problem: string; name: string; width?: number }) {
  const id = useId();
  const [text, setText] = useState(() => show(value));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    const read0 = read(text);
    if (read0 === null || show(read0) !== show(value)) {
      setText(show(value));
      setBad(false);
    }
    // Only when the value changes from outside (undo of a move, a remove above).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [show(value)]);
  const local = bad ? `${label}: ${problem}` : null;
  const described = [local ? `${id}-error` : null, describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <span className="wb-field">
      <label htmlFor={id}>{label}</label>{' '}
      <input
        id={id}
        name={name}
        value={text}
        size={width}
        inputMode="text"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={bad || invalid ? true : undefined}
        aria-describedby={described}
        onChange={(e) => {
          setText(e.target.value);
          const v = read(e.target.value);
          setBad(v === null);
          if (v !== null) onValue(v);
        }}
      />
      {local && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {' '}
          {local}
        </span>
      )}
    </span>
  );
}

const readWhole = (t: string) => (/^\s*\d{1,5}\s*$/.test(t) ? Number(t) : null);

function NumberField({ label, value, onValue, ...rest }: FieldBase & { label: string; value: number; onValue(v: number): void }) {
  return <TextField label={label} name={label.toLowerCase()} value={value} show={String} read={readWhole} onValue={onValue} problem={EDITOR_TEXT.notNumber} {...rest} />;
}

type PairValue = number | readonly [number, number];

function PairField({ label, value, fallback, onValue, ...rest }: FieldBase & { label: string; value: PairValue | undefined; fallback: number; onValue(v: PairValue): void }) {
  return <TextField<PairValue> label={label} name={label.toLowerCase()} value={value ?? fallback} show={(v) => pairText(v, fallback)} read={readPair} onValue={onValue} problem={EDITOR_TEXT.notPair} {...rest} />;
}

function PaddingField({ value, onValue, ...rest }: FieldBase & { value: Layer extends never ? never : Extract<Layer, { kind: 'conv' }>['padding']; onValue(v: NonNullable<Extract<Layer, { kind: 'conv' }>['padding']>): void }) {
  return <TextField label="Padding" name="padding" value={value ?? 0} show={paddingText} read={readPadding} onValue={onValue} problem={EDITOR_TEXT.notPadding} width={8} {...rest} />;
}

function RateField({ value, onValue, ...rest }: FieldBase & { value: number; onValue(v: number): void }) {
  const read = (t: string) => (/^\s*(0(\.\d+)?|1(\.0*)?|\.\d+)\s*$/.test(t) ? Number(t) : null);
  return <TextField label="Rate" name="rate" value={value} show={String} read={read} onValue={onValue} problem={EDITOR_TEXT.notRate} {...rest} />;
}

function CheckField({ label, checked, onChecked }: { label: string; checked: boolean; onChecked(b: boolean): void }) {
  const id = useId();
  return (
    <span className="wb-field">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChecked(e.target.checked)} /> <label htmlFor={id}>{label}</label>
    </span>
  );
}
