import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { BankErrorList } from '~/components/bank-editor/bank-error-list';
import { bankJob } from '~/bank-jobs.server';
import { readFormWithin } from '~/request-limit.server';
import { assertSameOrigin, requireInstructor } from '~/session.server';
import instructorStyles from '~/styles/instructor.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: instructorStyles }];
export const meta: MetaFunction = () => [{ title: 'Import a bank — Stride' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireInstructor(request);
  return null;
}

/** A bank file (upload or pasted text): a new bank, or a new version of one of the user's own. */
export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireInstructor(request);
  const form = await readFormWithin(request);
  const file = form.get('file');
  const pasted = form.get('yaml');
  const text = file instanceof File && file.size > 0 ? await file.text() : typeof pasted === 'string' ? pasted : '';
  if (text.trim() === '') return data({ errors: [{ path: 'file', message: 'choose a bank file (.yaml) or paste its text' }] }, { status: 400 });
  // Parsing and saving thousands of items takes seconds: the worker does it, other requests go on.
  const saved = await bankJob({ kind: 'save', userId: user.id, text, now: new Date() });
  if (!saved.ok) return data({ errors: saved.errors }, { status: 400 });
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
          <label htmlFor="import-file">Bank file</label> <input id="import-file" type="file" name="file" accept=".yaml,.yml,text/yaml,application/yaml" />
        </p>
        <p className="field">
          <label htmlFor="import-yaml">…or paste it</label>
          <textarea id="import-yaml" name="yaml" rows={10} spellCheck={false} />
        </p>
        <button type="submit">Import</button>
      </Form>
      {result?.errors ? <BankErrorList errors={result.errors} /> : null}
      <p>
        <Link to="/banks">Back to banks</Link>
      </p>
    </section>
  );
}
