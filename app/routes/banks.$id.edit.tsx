import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BankError } from '../../engine/bank/parse';
import { CSV_COLUMNS, type CsvRowError } from '~/bank-files.server';
import { bankJob } from '~/bank-jobs.server';
import { BankErrorList } from '~/components/bank-editor/bank-error-list';
import { CodeEditor } from '~/components/bank-editor/code-editor';
import type { BankEditorHandle } from '~/components/bank-editor/code-editor-view';
import { appendItems } from '~/bank-text';
import { ItemBuilder } from '~/components/bank-editor/item-builder';
import { ItemAnalyticsTable, percent } from '~/components/bank-editor/item-analytics';
import { PreviewPanel } from '~/components/bank-editor/preview-panel';
import { VerifiedOn } from '~/components/bank-editor/verified-on';
import { parseForm } from '~/forms';
import { DEFAULT_SAMPLES, MAX_SAMPLES } from '~/bank-editor';
import { EDITOR_CHOICES, forbiddenOnDenial, unpublishBank, type ItemPreview } from '~/models/authoring.server';
import { assertOwnBank } from '~/models/bank.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor } from '~/session.server';
import { ActionOutcome } from '~/components/action-outcome';
import instructorStyles from '~/styles/instructor.css';
import { BankEditActionSchema } from '~/models/authoring.server';
import { countOf } from '../../engine/answers';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: instructorStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.bank.title ?? 'Bank'} — editor — Stride` }];

/** A whole number from the query string, or undefined. */
function queryNumber(search: URLSearchParams, name: string): number | undefined {
  const asked = search.get(name);
  return asked !== null && /^\d{1,9}$/.test(asked) ? Number(asked) : undefined;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const search = new URL(request.url).searchParams;
  // The bank is read, paged and previewed in the worker: a bank of thousands of items stalls no one.
  const editor = await bankJob({ kind: 'editor-page', userId: user.id, bankId: params.id ?? '', version: queryNumber(search, 'version'), page: queryNumber(search, 'page') ?? 1 });
  return {
    bank: { id: editor.bank.id, title: editor.bank.title, status: editor.bank.status, version: editor.bank.version },
    versions: editor.versions.map((v) => ({ version: v.version, savedAt: v.savedAt.toISOString() })),
    shown: editor.shown,
    yaml: editor.yaml,
    page: editor.page,
    preview: editor.preview,
    analytics: editor.analytics,
    verification: editor.verification,
    ...EDITOR_CHOICES,
    csvColumns: [...CSV_COLUMNS],
  };
}

type ActionResult =
  | { kind: 'preview'; errors: BankError[]; preview: ItemPreview[] | null; previewed: number; total: number }
  // `text`: a refused save's text, so a form posted without JavaScript comes back with the edits in it.
  | { kind: 'saved'; errors: BankError[]; version: number | null; text?: string }
  | { kind: 'publish'; ok: boolean; message: string; errors: BankError[] }
  | { kind: 'csv'; imported: number; errors: CsvRowError[] }
  | { kind: 'invalid'; message: string };

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const bankId = params.id ?? '';
  // The owner check comes before the body is read: another instructor's bank is a 403 whatever the form.
  await forbiddenOnDenial(() => assertOwnBank({ userId: user.id, bankId }));
  const form = await readFormWithin(request);
  const file = form.get('csvFile');
  if (file instanceof File && file.size > 0) form.set('csv', await file.text());
  form.delete('csvFile');
  const parsed = parseForm(BankEditActionSchema(), form);
  if (!parsed.ok) return data<ActionResult>({ kind: 'invalid', message: Object.entries(parsed.errors).map(([k, v]) => `${k}: ${v}`).join('; ') }, { status: 400 });
  const input = parsed.data;
  const now = new Date();
  // Parsing, previewing and saving run in the bank-jobs worker (app/bank-jobs.server.ts).
  switch (input.intent) {
    case 'preview': {
      const bank = await bankJob({ kind: 'preview-text', text: input.yaml, samples: input.samples });
      if (!bank.ok) return data<ActionResult>({ kind: 'preview', errors: bank.errors, preview: null, previewed: 0, total: 0 });
      return data<ActionResult>({ kind: 'preview', errors: [], preview: bank.preview, previewed: bank.previewed, total: bank.total });
    }
    case 'save': {
      // A bank of several pages is edited a page at a time: the page's items go back in place.
      const page = Number(form.get('page'));
      const version = Number(form.get('version'));
      const base = Number(form.get('base'));
      const saved =
        Number.isInteger(page) && page >= 1 && Number.isInteger(version) && version >= 1
          ? await bankJob({ kind: 'save-page', userId: user.id, bankId, version, page, text: input.yaml, now })
          : await bankJob({ kind: 'save', userId: user.id, text: input.yaml, bankId, baseVersion: Number.isInteger(base) && base >= 1 ? base : undefined, now });
      if (!saved.ok) return data<ActionResult>({ kind: 'saved', errors: saved.errors, version: null, text: input.yaml }, { status: 400 });
      return data<ActionResult>({ kind: 'saved', errors: [], version: saved.bank.version });
    }
    case 'publish': {
      const result = await bankJob({ kind: 'publish', userId: user.id, bankId });
      if (!result.ok) return data<ActionResult>({ kind: 'publish', ok: false, message: result.message, errors: result.errors }, { status: 409 });
      return data<ActionResult>({ kind: 'publish', ok: true, message: 'Published.', errors: [] });
    }
    case 'unpublish':
      await forbiddenOnDenial(() => unpublishBank({ userId: user.id, bankId }));
      return data<ActionResult>({ kind: 'publish', ok: true, message: 'Back to draft.', errors: [] });
    case 'import-csv': {
      const rows = await bankJob({ kind: 'import-csv', userId: user.id, bankId, csv: input.csv, now });
      if (!rows.ok) return data<ActionResult>({ kind: 'csv', imported: 0, errors: rows.errors }, { status: 400 });
      return data<ActionResult>({ kind: 'csv', imported: rows.imported, errors: [] });
    }
  }
}

/** Offset of line:column (1-based) in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

const NO_ERRORS: BankError[] = [];

const PREVIEW_DELAY_MS = 500;

export default function BankEditor() {
  const loaded = useLoaderData<typeof loader>();
  const preview = useFetcher<ActionResult>({ key: 'bank-preview' });
  const save = useFetcher<ActionResult>({ key: 'bank-save' });
  const publish = useFetcher<ActionResult>({ key: 'bank-publish' });
  const csv = useFetcher<ActionResult>({ key: 'bank-csv' });
  // A form posted without JavaScript comes back as the page's action data.
  const posted = useActionData<ActionResult>();
  const [text, setText] = useState(posted?.kind === 'saved' && posted.text !== undefined ? posted.text : loaded.yaml);
  const [dirty, setDirty] = useState(posted?.kind === 'saved' && posted.text !== undefined);
  // The texts the last preview and the last save were asked for: their errors are shown only while the text is the same.
  const [checkedText, setCheckedText] = useState<string | null>(null);
  const [savedText, setSavedText] = useState<string | null>(posted?.kind === 'saved' ? posted.text ?? null : null);
  const [code, setCode] = useState<BankEditorHandle | null>(null);
  const [samples, setSamples] = useState(DEFAULT_SAMPLES);
  const editor = useRef<HTMLTextAreaElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // A new saved version (save, CSV import, another version opened) replaces the text.
  const first = useRef(true);
  useEffect(() => {
    // (Not on the first render: a refused no-JavaScript save keeps its text.)
    if (first.current) return void (first.current = false);
    setText(loaded.yaml);
    setDirty(false);
  }, [loaded.yaml, loaded.shown, loaded.page.number]);

  // The text on screen is one version's page: a preview asked for another one is not shown for it.
  const view = `${loaded.shown}:${loaded.page.number}`;
  const [previewedView, setPreviewedView] = useState<string | null>(null);
  const requestPreview = useCallback(
    (yaml: string, n: number) => {
      setPreviewedView(view);
      setCheckedText(yaml);
      preview.submit({ intent: 'preview', yaml, samples: String(n) }, { method: 'post' });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [view],
  );
  const onEdit = (value: string) => {
    setText(value);
    setDirty(true);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => requestPreview(value, samples), PREVIEW_DELAY_MS);
  };
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const goTo = (line: number, column: number) => {
    if (code) return code.goTo(line, column);
    const area = editor.current;
    if (!area) return;
    const at = offsetOf(area.value, line, column);
    area.focus();
    area.setSelectionRange(at, at);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };

  const previewData = preview.data?.kind === 'preview' && previewedView === view ? preview.data : null;
  const saveData = save.data?.kind === 'saved' ? save.data : posted?.kind === 'saved' ? posted : null;
  const publishData = publish.data?.kind === 'publish' ? publish.data : null;
  const csvData = csv.data?.kind === 'csv' ? csv.data : null;
  const invalid = [preview.data, save.data, publish.data, csv.data].find((d) => d?.kind === 'invalid');
  // Errors of a text that has changed since are stale: the list and the editor drop them at once.
  const liveErrors = dirty && previewData && preview.state === 'idle' && checkedText === text ? previewData.errors : NO_ERRORS;
  const saveErrors = saveData && save.state === 'idle' && savedText === text ? saveData.errors : NO_ERRORS;
  const shownErrors = saveErrors.length ? saveErrors : liveErrors;
  // One list per check, whatever re-renders: the editor re-lints only when the errors change.
  const errors = useMemo(() => shownErrors, [JSON.stringify(shownErrors)]); // eslint-disable-line react-hooks/exhaustive-deps
  const familyNames = useMemo(() => loaded.families.map((f) => ({ id: f.id, title: f.title })), [loaded.families]);
  const previews = dirty && previewData ? previewData.preview : previewData?.preview ?? loaded.preview;
  const latest = loaded.shown === loaded.bank.version;
  const { bank, page } = loaded;
  const paged = page.pages > 1;
  const pageHref = (n: number) => `?${new URLSearchParams({ ...(latest ? {} : { version: String(loaded.shown) }), page: String(n) })}`;
  const previewNote = previewData && previewData.total > previewData.previewed ? `Preview of the first ${previewData.previewed} of ${previewData.total} items.` : null;

  return (
    <section className="bank-editor" aria-labelledby="editor-title">
      <header className="editor-head">
        <h1 id="editor-title">{bank.title}</h1>
        <p>
          <code>{bank.id}</code> ·{' '}
          <span className={`status status-${bank.status}`} data-testid="bank-status">
            {bank.status}
          </span>{' '}
          · version {bank.version} · <a href={`/banks/${bank.id}/export`}>Export YAML</a> · <a href={`/banks/${bank.id}/anki`}>Export for Anki</a> ·{' '}
          <Link to="/classes">Publish to a class</Link>
        </p>
        <publish.Form method="post" className="inline">
          {bank.status === 'draft' ? (
            <button type="submit" name="intent" value="publish" disabled={dirty} title={dirty ? 'Save first' : undefined}>
              Publish
            </button>
          ) : (
            <button type="submit" name="intent" value="unpublish" className="secondary">
              Back to draft
            </button>
          )}
        </publish.Form>
        {publishData && publish.state === 'idle' ? (
          <ActionOutcome result={publishData} testId="publish-result" />
        ) : null}
      </header>

      <div className="editor-grid">
        <div className="editor-column">
          {!latest ? (
            <p className="notice">
              You are looking at version {loaded.shown}; saving it makes it version {bank.version + 1}. <Link to={`/banks/${bank.id}/edit`}>Open the latest</Link>
            </p>
          ) : null}
          {paged ? (
            <nav className="editor-pages" aria-label="Pages of the bank" data-testid="editor-pages">
              {page.number > 1 ? <Link to={pageHref(page.number - 1)}>‹ Previous</Link> : <span>‹ Previous</span>} · items {page.start + 1}–{page.start + page.count} of{' '}
              {page.total.toLocaleString('en-US')} (page {page.number} of {page.pages}) ·{' '}
              {page.number < page.pages ? <Link to={pageHref(page.number + 1)}>Next ›</Link> : <span>Next ›</span>}
            </nav>
          ) : null}
          <save.Form method="post" className="yaml-form" onSubmit={() => setSavedText(text)}>
            <label htmlFor="bank-yaml" id="bank-yaml-label">
              {paged ? (
                <>
                  Items {page.start + 1}–{page.start + page.count} with the manifest (YAML, the <code>content/</code> format); saving puts them back in place
                </>
              ) : (
                <>
                  Bank (YAML, the <code>content/</code> format)
                </>
              )}{' '}
              {dirty ? <em>— unsaved changes</em> : null}
            </label>
            {paged ? (
              <>
                <input type="hidden" name="page" value={page.number} />
                <input type="hidden" name="version" value={loaded.shown} />
              </>
            ) : (
              // The latest version when the editor opened: a save that another came before is refused, not saved over it.
              <input type="hidden" name="base" value={bank.version} />
            )}
            <CodeEditor
              key={paged ? page.start : 0}
              text={text}
              errors={errors}
              families={familyNames}
              itemOffset={paged ? page.start : 0}
              onChange={onEdit}
              onReady={setCode}
              labelledBy="bank-yaml-label"
              describedBy="bank-yaml-keys bank-errors"
            />
            {code ? (
              <p id="bank-yaml-keys" className="hint">
                Ctrl+Space lists what the bank format allows where the cursor is; errors are underlined as you type. Tab indents: press Escape, then Tab, to
                leave the editor.
              </p>
            ) : null}
            {/* The form's field: CodeMirror mirrors every edit into it; without JavaScript it is the editor. Behind the
                code editor it is out of sight and of the tab order, but still takes a value set on it (and mirrors it back). */}
            <textarea
              id="bank-yaml"
              className={code ? 'visually-hidden' : undefined}
              tabIndex={code ? -1 : undefined}
              aria-hidden={code ? true : undefined}
              ref={editor}
              name="yaml"
              value={text}
              onChange={(e) => onEdit(e.target.value)}
              spellCheck={false}
              rows={28}
              aria-invalid={errors.length ? true : undefined}
              aria-describedby="bank-errors"
            />
            <div id="bank-errors">
              <BankErrorList errors={errors} onGoTo={goTo} />
            </div>
            <p className="editor-buttons">
              <button type="submit" name="intent" value="save" disabled={save.state !== 'idle'}>
                {bank.status === 'published' ? 'Save (students see it at once)' : 'Save draft'}
              </button>
              <button type="button" className="secondary" onClick={() => requestPreview(text, samples)}>
                Preview now
              </button>
              <label>
                Samples per item <input type="number" min={1} max={MAX_SAMPLES} value={samples} onChange={(e) => setSamples(Math.min(MAX_SAMPLES, Math.max(1, Number(e.target.value) || 1)))} />
              </label>
              {saveData && save.state === 'idle' && saveData.version !== null ? (
                <span role="status" data-testid="save-result">
                  Saved as version {saveData.version}.
                </span>
              ) : null}
            </p>
            {invalid?.kind === 'invalid' ? <p className="field-error">{invalid.message}</p> : null}
          </save.Form>

          <ItemBuilder
            families={loaded.families}
            topics={loaded.topics}
            onAppend={(item) => {
              const next = appendItems(text, [item]);
              if ('error' in next) return next.error;
              onEdit(next.text);
              return null;
            }}
          />

          <csv.Form method="post" encType="multipart/form-data" className="csv-import" aria-labelledby="csv-title">
            <h3 id="csv-title">Import fact cards from CSV</h3>
            <p>
              The first row names the columns (any order): <code>{loaded.csvColumns.join(',')}</code>. <code>kind</code> is basic, cloze or choice;{' '}
              <code>id</code>, <code>topic</code> are required; <code>tags</code> are separated by spaces; a choice's <code>options</code> are separated by{' '}
              <code>|</code> and get the keys a, b, c… in order, and <code>answer</code> lists the right key(s). Quote a field that holds a comma or a line
              break (<code>"…"</code>, <code>""</code> for a quote). The rows are added to the saved bank as a new version; if any row is wrong nothing is
              saved and each bad row is listed.
            </p>
            <input type="hidden" name="intent" value="import-csv" />
            <p className="field-row">
              <input type="file" name="csvFile" accept=".csv,text/csv" aria-label="CSV file" />
              <textarea name="csv" rows={3} placeholder="kind,id,topic,tags,front,back" aria-label="CSV text" />
              <button type="submit" className="secondary" disabled={dirty} title={dirty ? 'Save your edits first' : undefined}>
                Import rows
              </button>
            </p>
            {csvData && csv.state === 'idle' ? (
              csvData.errors.length ? (
                <div className="bank-errors" role="alert" data-testid="csv-errors">
                  <p>
                    <strong>Nothing was imported</strong>: {countOf(csvData.errors.length, 'problem')}.
                  </p>
                  <ul>
                    {csvData.errors.map((e, i) => (
                      <li key={i}>
                        {e.row > 0 ? `row ${e.row}` : 'file'}
                        {e.column ? ` (${e.column})` : ''}: {e.message}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <p role="status">Imported {countOf(csvData.imported, 'card')}.</p>
              )
            ) : null}
          </csv.Form>

          <section className="bank-analytics" aria-labelledby="bank-analytics-title">
            <h3 id="bank-analytics-title">How its questions perform</h3>
            <p>
              {countOf(loaded.analytics.attempts, 'attempt')} by {countOf(loaded.analytics.students, 'student')}, {percent(loaded.analytics.accuracy)} right
              {loaded.analytics.tooHard.length ? `; too hard: ${loaded.analytics.tooHard.map((i) => i.key).join(', ')}` : ''}
              {loaded.analytics.tooHardTotal > loaded.analytics.tooHard.length ? ` and ${loaded.analytics.tooHardTotal - loaded.analytics.tooHard.length} more` : ''}.
            </p>
            {loaded.analytics.items.length ? <ItemAnalyticsTable items={loaded.analytics.items} /> : null}
            <VerifiedOn items={loaded.verification} />
          </section>

          <section className="versions" aria-labelledby="versions-title">
            <h3 id="versions-title">Versions</h3>
            <ol reversed>
              {loaded.versions.map((v) => (
                <li key={v.version}>
                  {v.version === loaded.shown ? <strong>version {v.version}</strong> : <Link to={`?version=${v.version}`}>version {v.version}</Link>} — saved{' '}
                  {new Date(v.savedAt).toLocaleString()}
                </li>
              ))}
            </ol>
          </section>
        </div>

        <div className="preview-column" aria-live="polite" aria-busy={preview.state !== 'idle'}>
          <h2>Preview</h2>
          {previewNote ? <p className="notice">{previewNote}</p> : null}
          {previews ? <PreviewPanel previews={previews} /> : <p>Fix the errors to see the preview.</p>}
        </div>
      </div>
    </section>
  );
}
