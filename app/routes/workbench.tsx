/**
 * /workbench: build or change a network and watch every figure follow (issue 17). The state is
 * the URL (app/workbench/url.ts, decoded on the server with zod); the analysis runs in the
 * browser as you type; an invalid change is shown at its layer and the last valid figures stay,
 * marked stale. Instructors can turn the network into a bank item (kind `network`).
 */
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { z } from 'zod';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { countOf } from '../../engine/answers/format';
import { analyze } from '../../engine/analysis';
import type { Analysis } from '../../engine/analysis-types';
import { SpecError } from '../../engine/errors';
import type { Layer, Spec } from '../../engine/spec';
import { networkQuantities, topics, type NetworkQuantity } from '../../engine/bank/schema';
import { zoo } from '../../engine/zoo';
import type { RowVerdict } from '~/components/explorer/browser-verify';
import { countText } from '~/components/explorer/format';
import { LayerTable } from '~/components/explorer/layer-table';
import type { ExplorerRow } from '~/explorer.server';
import { LayerList } from '~/components/workbench/layer-editor';
import { VerifyPanel } from '~/components/explorer/verify-panel';
import { WorkbenchDiagram } from '~/components/workbench/diagram';
import { FieldError } from '~/components/field';
import { parseForm } from '~/forms';
import { listBanksForUser } from '~/models/bank.server';
import { forbiddenOnDenial } from '~/models/authoring.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, getUser, requireInstructor } from '~/session.server';
import { decodeSpecParam, decodeState } from '~/workbench/decode.server';
import { enginePaths, insertAt, moveAt, removeAt, setAt, updateLayer, type JsonPath } from '~/workbench/edit';
import { addNetworkQuestion } from '~/workbench/question.server';
import { encodeSpec, stateSearch } from '~/workbench/url';
import explorerStyles from '~/styles/explorer.css';
import workbenchStyles from '~/styles/workbench.css';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: explorerStyles },
  { rel: 'stylesheet', href: workbenchStyles },
];

export const meta: MetaFunction = () => [{ title: 'Workbench — Stride' }];

const TEXT = {
  title: 'Workbench',
  intro: 'Start from a network of the zoo or from an empty input, then add, remove and change layers: every shape, count and receptive field below follows as you type. The link is the network: share it and it opens the same.',
  startFrom: 'Start from',
  zoo: 'A network of the zoo',
  open: 'Open',
  empty: 'An empty input',
  height: 'Height',
  width: 'Width',
  channels: 'Channels',
  start: 'Start empty',
  input: 'Input (H×W×C)',
  layers: 'Layers',
  atEnd: 'at the end',
  copy: 'Copy link',
  copied: 'Link copied.',
  copyFailed: 'Could not copy; the link is in the address bar.',
  stale: 'The network is invalid (see the layer marked below): these are the figures of the last valid network.',
  valid: 'Figures of this network.',
  totals: 'Totals',
  params: 'Params',
  macs: 'MACs',
  flops: 'FLOPs (2 × MACs)',
  activations: 'Activations',
  memory: 'Memory (the lecture\'s count)',
  output: 'Output',
  tableCaption: (n: number) => `${countOf(n, 'row')}; params count weights, biases and batch-norm γ, β; receptive field along the height, in input pixels`,
  question: 'Make a question of this network',
  questionIntro: 'A bank item asking one quantity of this exact network, answered and checked by the engine like any generated question.',
  bank: 'Bank',
  noBanks: 'You have no bank yet: create one on the Banks page first.',
  itemId: 'Item id (kebab-case)',
  itemTitle: 'Title',
  topic: 'Topic',
  quantity: 'Quantity',
  layer: 'Layer',
  whole: '(the whole network)',
  bias: 'Count biases',
  save: 'Add to the bank',
  saved: (bank: string, version: number) => `Added to ${bank} (version ${version}).`,
  fixFirst: 'Fix the network first: an invalid network cannot become a question.',
  quantities: { output: 'output shape', channels: 'output channels', params: 'params', macs: 'MACs', flops: 'FLOPs', activations: 'activations', rf: 'receptive field' },
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const user = await getUser(request);
  const decoded = decodeState(search);
  const banks = user?.role === 'instructor' ? (await listBanksForUser({ userId: user.id })).owned.map((b) => ({ id: b.id, title: b.title })) : null;
  return {
    state: decoded.state,
    message: decoded.ok ? null : decoded.message,
    zoo: zoo.map((e) => ({ id: e.id, name: e.name })),
    banks,
    choices: { topics: [...topics], quantities: [...networkQuantities] },
    /** Changes when the loader reads another link, so the page starts afresh from it. */
    key: search.toString(),
  };
}

const QuestionSchema = () =>
  z.object({
    bankId: z.string({ error: 'choose a bank' }).min(1, { error: 'choose a bank' }).max(80),
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'an id is kebab-case, e.g. my-net-conv2-output' }).max(80),
    title: z.string().trim().min(1, { error: 'give the item a title' }).max(500),
    topic: z.enum(topics, { error: 'choose a topic' }),
    quantity: z.enum(networkQuantities, { error: 'choose a quantity' }),
    layer: z.string().max(500),
    bias: z.string().optional(),
    n: z.string().min(1),
  });

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const form = await readFormWithin(request);
  const parsed = parseForm(QuestionSchema(), form);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors }, { status: 400 });
  const input = parsed.data;
  const decoded = decodeSpecParam(input.n);
  if (!decoded.ok) return data({ ok: false as const, errors: { form: decoded.message } }, { status: 400 });
  const item = {
    id: input.id,
    kind: 'network' as const,
    topic: input.topic,
    tags: [],
    title: input.title,
    spec: decoded.state.spec,
    quantity: input.quantity,
    ...(input.layer ? { layer: input.layer } : {}),
    ...(input.bias === 'on' ? {} : { bias: false }),
  };
  const result = await forbiddenOnDenial(() => addNetworkQuestion({ userId: user.id, bankId: input.bankId, item, now: new Date() }));
  if (!result.ok) return data({ ok: false as const, errors: result.errors }, { status: 400 });
  return { ok: true as const, bankId: result.bankId, version: result.version, errors: {} as Record<string, string> };
}

/** The analysis of a spec, or the engine's error split into its layer and message. */
type Outcome = { ok: true; analysis: Analysis } | { ok: false; layer: string; message: string };

function tryAnalyze(spec: Spec): Outcome {
  try {
    return { ok: true, analysis: analyze(spec) };
  } catch (err) {
    if (err instanceof SpecError) return { ok: false, layer: err.layer, message: err.message.slice(err.layer.length + 2) };
    return { ok: false, layer: 'input', message: err instanceof Error ? err.message : String(err) };
  }
}

function rowsOf(analysis: Analysis): ExplorerRow[] {
  return analysis.layers.map((r) => ({ path: r.name, type: r.type, depth: r.depth, output: r.output, params: r.params, macs: r.macs, rf: r.rf, rfW: r.rfW, aggregate: r.aggregate, exact: r.exact !== false }));
}

/** Replace the URL at most this often while typing (no history entries). */
const URL_DEBOUNCE_MS = 200;

export default function WorkbenchPage() {
  const loaded = useLoaderData<typeof loader>();
  return (
    <section className="explorer workbench" aria-labelledby="wb-title">
      <h1 id="wb-title">{TEXT.title}</h1>
      <p>{TEXT.intro}</p>
      {loaded.message && (
        <p className="bad" role="alert" data-testid="link-error">
          {loaded.message}
        </p>
      )}
      <StartFrom zooList={loaded.zoo} />
      <Workbench key={loaded.key} initial={loaded.state as { arch: string | null; spec: Spec }} banks={loaded.banks} choices={loaded.choices} />
    </section>
  );
}

function StartFrom({ zooList }: { zooList: { id: string; name: string }[] }) {
  return (
    <div className="wb-start">
      <Form method="get" className="wb-start-form">
        <label htmlFor="wb-arch">{TEXT.zoo}</label>{' '}
        <select id="wb-arch" name="arch" defaultValue="alexnet">
          {zooList.map((z) => (
            <option key={z.id} value={z.id}>
              {z.name} ({z.id})
            </option>
          ))}
        </select>{' '}
        <button type="submit">{TEXT.open}</button>
      </Form>
      <Form method="get" className="wb-start-form" aria-label={TEXT.empty}>
        <span>{TEXT.empty}:</span> <label htmlFor="wb-h">{TEXT.height}</label> <input id="wb-h" name="h" defaultValue={32} size={4} inputMode="numeric" />{' '}
        <label htmlFor="wb-w">{TEXT.width}</label> <input id="wb-w" name="w" defaultValue={32} size={4} inputMode="numeric" /> <label htmlFor="wb-c">{TEXT.channels}</label>{' '}
        <input id="wb-c" name="c" defaultValue={3} size={4} inputMode="numeric" /> <button type="submit">{TEXT.start}</button>
      </Form>
    </div>
  );
}

type Choices = { topics: string[]; quantities: NetworkQuantity[] };

function Workbench({ initial, banks, choices }: { initial: { arch: string | null; spec: Spec }; banks: { id: string; title: string }[] | null; choices: Choices }) {
  const [spec, setSpec] = useState<Spec>(initial.spec);
  const [arch, setArch] = useState<string | null>(initial.arch);
  const outcome = useMemo(() => tryAnalyze(spec), [spec]);
  const lastValid = useRef<{ spec: Spec; analysis: Analysis } | null>(null);
  if (outcome.ok) lastValid.current = { spec, analysis: outcome.analysis };
  const shown = lastValid.current;
  const stale = !outcome.ok;
  const paths = useMemo(() => enginePaths(spec), [spec]);
  const outputs = useMemo(() => new Map((shown?.analysis.layers ?? []).map((r) => [r.name, r.output.join('×')])), [shown?.analysis]);
  const [verdicts, setVerdicts] = useState<(RowVerdict | undefined)[]>([]);

  const edit = useCallback((change: (s: Spec) => Spec) => {
    setSpec((s) => change(s));
    setArch(null);
    setVerdicts([]);
  }, []);
  const ops = useMemo(
    () => ({
      edit,
      insertAt: (p: JsonPath, i: number, l: Layer) => edit((s) => insertAt(s, p, i, l)),
      removeAt: (p: JsonPath, i: number) => edit((s) => removeAt(s, p, i)),
      moveAt: (p: JsonPath, i: number, d: -1 | 1) => edit((s) => moveAt(s, p, i, d)),
      update: (p: JsonPath, patch: Record<string, unknown>) => edit((s) => updateLayer(s, p, patch)),
    }),
    [edit],
  );

  // The URL follows the state (replaceState: typing leaves no history behind).
  const search = useMemo(() => stateSearch({ arch, spec }), [arch, spec]);
  useEffect(() => {
    const t = setTimeout(() => {
      if (window.location.search !== search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}`);
    }, URL_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [search]);

  const [copyStatus, setCopyStatus] = useState('');
  const copy = async () => {
    const url = `${window.location.origin}${window.location.pathname}${search}`;
    window.history.replaceState(window.history.state, '', url);
    try {
      await navigator.clipboard.writeText(url);
      setCopyStatus(TEXT.copied);
    } catch {
      setCopyStatus(TEXT.copyFailed);
    }
  };

  const rows = useMemo(() => (shown ? rowsOf(shown.analysis) : []), [shown]);
  const inputError = !outcome.ok && outcome.layer === 'input' ? outcome.message : null;
  const totals = shown?.analysis.totals;
  const small = countRows(spec.layers) <= 60;
  return (
    <>
      <p className="wb-link">
        <button type="button" onClick={copy}>
          {TEXT.copy}
        </button>{' '}
        <span role="status" aria-live="polite">
          {copyStatus}
        </span>
      </p>
      <div className="wb-grid">
        <div className="wb-editor">
          <h2>{TEXT.input}</h2>
          <InputFields spec={spec} edit={edit} error={inputError} />
          <h2>{TEXT.layers}</h2>
          <LayerList
            layers={spec.layers}
            listPath={['layers']}
            paths={paths}
            error={outcome.ok ? null : outcome}
            outputs={outputs}
            stale={stale}
            openBlocks={small}
            where={TEXT.atEnd}
            {...ops}
          />
        </div>
        <div className="wb-figures" data-stale={stale ? 'true' : 'false'}>
          <p className={stale ? 'warning wb-stale' : 'wb-fresh'} role="status" aria-live="polite" data-testid="figures-state">
            {stale ? TEXT.stale : TEXT.valid}
          </p>
          {totals && shown && (
            <dl className="arch-facts wb-totals" data-testid="totals">
              <dt>{TEXT.output}</dt>
              <dd data-testid="total-output">{shown.analysis.output.join('×')}</dd>
              <dt>{TEXT.params}</dt>
              <dd data-testid="total-params">{countText(totals.params)}</dd>
              <dt>{TEXT.macs}</dt>
              <dd data-testid="total-macs">{countText(totals.macs)}</dd>
              <dt>{TEXT.flops}</dt>
              <dd>{countText(totals.flops)}</dd>
              <dt>{TEXT.activations}</dt>
              <dd>{countText(totals.activations)}</dd>
              <dt>{TEXT.memory}</dt>
              <dd>{countText(totals.memory)}</dd>
            </dl>
          )}
          {shown && <WorkbenchDiagram spec={shown.spec} analysis={shown.analysis} stale={stale} />}
          {shown && outcome.ok && (
            <VerifyPanel
              key={search}
              arch="workbench"
              spec={shown.spec}
              onStart={() => setVerdicts([])}
              onRow={(index, verdict) =>
                setVerdicts((prev) => {
                  const next = prev.slice();
                  next[index] = verdict;
                  return next;
                })
              }
            />
          )}
        </div>
      </div>
      <h2 id="layers-title">{TEXT.totals}: per layer</h2>
      <div className={stale ? 'wb-table stale' : 'wb-table'} data-stale={stale ? 'true' : 'false'}>
        <LayerTable key={shown ? rows.length : 0} rows={rows} verdicts={verdicts} caption={TEXT.tableCaption(rows.length)} />
      </div>
      {banks && <QuestionForm banks={banks} choices={choices} spec={spec} valid={outcome.ok} rowNames={shown?.analysis.layers.map((r) => r.name) ?? []} />}
    </>
  );
}

function countRows(layers: readonly Layer[]): number {
  let n = 0;
  for (const l of layers) {
    n++;
    if (l.kind === 'block') n += countRows(l.layers);
    else if (l.kind === 'residual') n += countRows(l.body) + countRows(l.shortcut ?? []);
    else if (l.kind === 'concat') for (const b of l.branches) n += countRows(b);
  }
  return n;
}

function InputFields({ spec, edit, error }: { spec: Spec; edit: (c: (s: Spec) => Spec) => void; error: string | null }) {
  const names = [TEXT.height, TEXT.width, TEXT.channels];
  return (
    <p className="wb-fields" data-layer="input" data-invalid={error ? 'true' : undefined}>
      {spec.input.map((v, i) => (
        <span key={i} className="wb-field">
          <label htmlFor={`wb-input-${i}`}>{names[i]}</label>{' '}
          <input
            id={`wb-input-${i}`}
            defaultValue={v}
            size={5}
            inputMode="numeric"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'wb-input-error' : undefined}
            onChange={(e) => {
              const t = e.target.value.trim();
              if (/^\d{1,5}$/.test(t)) edit((s) => setAt(s, ['input', i], Number(t)));
            }}
          />
        </span>
      ))}
      {error && (
        <span id="wb-input-error" className="field-error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}

function QuestionForm({ banks, choices, spec, valid, rowNames }: { banks: { id: string; title: string }[]; choices: Choices; spec: Spec; valid: boolean; rowNames: string[] }) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = result && !result.ok ? result.errors : {};
  const field = (name: string) => ({ id: `wbq-${name}`, name, 'aria-invalid': errors[name] ? true : undefined, 'aria-describedby': errors[name] ? `wbq-${name}-error` : undefined });
  return (
    <section className="wb-question" aria-labelledby="wbq-heading">
      <h2 id="wbq-heading">{TEXT.question}</h2>
      <p>{TEXT.questionIntro}</p>
      {banks.length === 0 ? (
        <p>
          {TEXT.noBanks} <Link to="/banks">Banks</Link>
        </p>
      ) : (
        <Form method="post" replace preventScrollReset>
          <input type="hidden" name="n" value={encodeSpec(spec)} />
          <p className="field">
            <label htmlFor="wbq-bankId">{TEXT.bank}</label>{' '}
            <select {...field('bankId')} defaultValue={banks[0]!.id}>
              {banks.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.title} ({b.id})
                </option>
              ))}
            </select>
            <FieldError id="wbq-bankId" message={errors.bankId} />
          </p>
          <p className="field">
            <label htmlFor="wbq-id">{TEXT.itemId}</label> <input {...field('id')} required pattern="[a-z0-9]+(-[a-z0-9]+)*" />
            <FieldError id="wbq-id" message={errors.id} />
          </p>
          <p className="field">
            <label htmlFor="wbq-title">{TEXT.itemTitle}</label> <input {...field('title')} required size={40} />
            <FieldError id="wbq-title" message={errors.title} />
          </p>
          <p className="field">
            <label htmlFor="wbq-topic">{TEXT.topic}</label>{' '}
            <select {...field('topic')} defaultValue="conv-arithmetic">
              {choices.topics.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </p>
          <p className="field">
            <label htmlFor="wbq-quantity">{TEXT.quantity}</label>{' '}
            <select {...field('quantity')} defaultValue="output">
              {choices.quantities.map((q) => (
                <option key={q} value={q}>
                  {TEXT.quantities[q]}
                </option>
              ))}
            </select>
            <FieldError id="wbq-quantity" message={errors.quantity} />
          </p>
          <p className="field">
            <label htmlFor="wbq-layer">{TEXT.layer}</label>{' '}
            <select {...field('layer')} defaultValue={rowNames[rowNames.length - 1] ?? ''}>
              <option value="">{TEXT.whole}</option>
              {rowNames.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
            <FieldError id="wbq-layer" message={errors.layer} />
          </p>
          <p className="field">
            <input id="wbq-bias" name="bias" type="checkbox" defaultChecked /> <label htmlFor="wbq-bias">{TEXT.bias}</label>
          </p>
          {errors.form && (
            <p className="field-error" role="alert">
              {errors.form}
            </p>
          )}
          {!valid && <p className="warning">{TEXT.fixFirst}</p>}
          <button type="submit" disabled={!valid || navigation.state !== 'idle'}>
            {TEXT.save}
          </button>
          {result?.ok && (
            <p className="good" role="status">
              {TEXT.saved(result.bankId, result.version)} <Link to={`/banks/${result.bankId}/edit`}>Open the bank</Link>
            </p>
          )}
        </Form>
      )}
    </section>
  );
}
