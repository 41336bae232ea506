import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { BankErrorList } from '~/components/bank-editor/bank-error-list';
import { Field } from '~/components/field';
import { bankToYaml, importAnkiText } from '~/bank-files.server';
import { bankJob } from '~/bank-jobs.server';
import { latestStoredBank } from '~/models/authoring.server';
import { countOf } from '../../engine/answers/format';
import { topics, type Topic } from '../../engine/bank/schema';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor } from '~/session.server';
import instructorStyles from '~/styles/instructor.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: instructorStyles }];
export const meta: MetaFunction = () => [{ title: 'Import a bank — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireInstructor(request);
  return null;
}

const STRINGS = {
  noFile: 'choose a bank file (.yaml) or paste its text',
  noAnkiFile: 'choose an Anki text export (.txt) or paste it',
  badId: 'a bank id is kebab-case: lowercase letters and digits joined by -, e.g. my-anki-deck',
  takenId: 'a bank with this id exists: choose another id (Anki notes make a new bank)',
  noTitle: 'give the new bank a title',
  ankiDescription: (notes: number) => `Imported from Anki: ${countOf(notes, 'note')}.`,
};

type ImportResult = { errors: { path: string; message: string; line?: number }[]; fields?: { id?: string; title?: string } };

/**
 * A bank file (upload or pasted text): a new bank, or a new version of one of the user's own.
 * Or Anki's "Notes in Plain Text" export (docs/decisions/0032-csv-anki-gradebook.md): a new bank
 * of its notes, Basic as basic cards and Cloze as cloze cards.
 */
export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const form = await readFormWithin(request);
  const file = form.get('file');
  const pasted = form.get('yaml');
  const text = file instanceof File && file.size > 0 ? await file.text() : typeof pasted === 'string' ? pasted : '';
  const anki = form.get('format') === 'anki';
  if (text.trim() === '') return data<ImportResult>({ errors: [{ path: 'file', message: anki ? STRINGS.noAnkiFile : STRINGS.noFile }] }, { status: 400 });
  let bankText = text;
  if (anki) {
    const id = String(form.get('id') ?? '').trim();
    const topicValue = String(form.get('topic') ?? '');
    const fields: ImportResult['fields'] = {};
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) fields.id = STRINGS.badId;
    else if (await latestStoredBank({ bankId: id })) fields.id = STRINGS.takenId;
    const notes = importAnkiText(text, { defaultTopic: (topics as readonly string[]).includes(topicValue) ? (topicValue as Topic) : 'history', bankId: id });
    const title = String(form.get('title') ?? '').trim() || (notes.ok ? (notes.deck ?? '') : '');
    if (!title) fields.title = STRINGS.noTitle;
    const errors = notes.ok ? [] : notes.errors.map((e) => ({ path: e.row > 0 ? `line ${e.row}${e.column ? `: ${e.column}` : ''}` : 'file', message: e.message }));
    if (errors.length || fields.id || fields.title) return data<ImportResult>({ errors, fields }, { status: 400 });
    if (!notes.ok) return null;
    bankText = bankToYaml({ id, title, description: STRINGS.ankiDescription(notes.items.length), version: '1.0.0', items: notes.items });
  }
  // Parsing and saving thousands of items takes seconds: the worker does it, other requests go on.
  const saved = await bankJob({ kind: 'save', userId: user.id, text: bankText, now: new Date() });
  if (!saved.ok) return data<ImportResult>({ errors: saved.errors }, { status: 400 });
  throw redirect(`/banks/${saved.bank.id}/edit`);
}

export default function ImportBank() {
  const result = useActionData<typeof action>();
  return (
    <section className="bank-import" aria-labelledby="import-title">
      <h1 id="import-title">Import a bank</h1>
      <p>
        A bank file in the <code>content/</code> format: one YAML file with the manifest (<code>id</code>, <code>title</code>, <code>description</code>,{' '}
        <code>version</code>) and its <code>items</code> — what <em>Export YAML</em> gives. A bank with the id of one of yours becomes its next version;
        nothing is saved when the file has any error. Files are at most 2 MB.
      </p>
      <Form method="post" encType="multipart/form-data">
        <p className="field">
          <label htmlFor="import-file">Bank file</label> <input id="import-file" type="file" name="file" accept=".yaml,.yml,text/yaml,application/yaml,.txt,.tsv,text/plain,text/tab-separated-values" />
        </p>
        <p className="field">
          <label htmlFor="import-yaml">…or paste it</label>
          <textarea id="import-yaml" name="yaml" rows={10} spellCheck={false} />
        </p>
        <fieldset>
          <legend>Format</legend>
          <label>
            <input type="radio" name="format" value="yaml" defaultChecked /> Stride bank (YAML)
          </label>{' '}
          <label>
            <input type="radio" name="format" value="anki" /> Anki notes (File → Export, &ldquo;Notes in Plain Text&rdquo;)
          </label>
          <p className="field-hint">
            Anki&rsquo;s Basic notes become basic cards and its Cloze notes cloze cards (a note with {'{{c1::…}}'} and {'{{c2::…}}'} becomes one card per
            number, as in Anki); <code>\(…\)</code> maths becomes <code>$…$</code>. A note&rsquo;s topic is its first tag that is a topic of the chapter.
          </p>
          <Field name="id" label="New bank id (Anki)" error={result?.fields?.id} placeholder="my-anki-deck" />
          <Field name="title" label="Title (Anki; the deck's name when empty)" error={result?.fields?.title} />
          <p className="field">
            <label htmlFor="import-topic">Topic of untagged notes (Anki)</label>{' '}
            <select id="import-topic" name="topic" defaultValue="history">
              {topics.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </p>
        </fieldset>
        <button type="submit">Import</button>
      </Form>
      {result?.errors ? <BankErrorList errors={result.errors} /> : null}
      <p>
        <Link to="/banks">Back to banks</Link>
      </p>
    </section>
  );
}
