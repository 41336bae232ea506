import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect } from 'react';
import { applyCardAction, cardActionMessage, notFoundAsHttp } from '~/models/card-actions.server';
import { cardsPage, cardsQueryParams, cardSorts, cardStateFilters, dueWindows, parseCardsAction, parseCardsQuery } from '~/models/cards-page.server';
import { undoLast, undoMessage } from '~/models/undo.server';
import { renderMarkdown } from '~/markdown.server';
import { assertSameOrigin, requireUser } from '~/session.server';
import { countOf } from '../../engine/answers';

export const meta: MetaFunction = () => [{ title: 'Your cards — Stride' }];

const SORT_LABELS: Record<string, string> = {
  due: 'Due date',
  retrievability: 'Recall now',
  lapses: 'Lapses',
  reps: 'Reviews',
  lastReview: 'Last review',
  item: 'Item',
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = new Date();
  const url = new URL(request.url);
  const { query, errors } = parseCardsQuery(url.searchParams);
  // The filter form sends every field, empty ones too: answer with the view's short URL, which a link reproduces.
  const canonical = cardsQueryParams(query).toString();
  if (Object.keys(errors).length === 0 && url.search.replace(/^\?/, '') !== canonical) throw redirect(canonical ? `/cards?${canonical}` : '/cards');
  const page = await cardsPage({ userId: user.id, query, now });
  // Instants are written on the server in the student's zone: the browser's would differ from the page it hydrates.
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: user.timeZone });
  const at = (d: Date | null) => (d === null ? null : when.format(d));
  const pageLink = (n: number) => `?${cardsQueryParams(page.query, { page: n }).toString()}`;
  return {
    ...page,
    errors,
    // Labels are bank Markdown (maths too), rendered as the review page renders them.
    rows: page.rows.map((r) => ({ ...r, labelHtml: r.label ? renderMarkdown(r.label) : null, due: at(r.due), lastReview: at(r.lastReview), buriedUntil: at(r.buriedUntil) })),
    previous: page.page > 1 ? pageLink(page.page - 1) : null,
    next: page.page < page.pageCount ? pageLink(page.page + 1) : null,
    // The model's value lists, sent along: a .server module's exports do not reach the browser.
    choices: { states: [...cardStateFilters], sorts: [...cardSorts], dueWindows: [...dueWindows] },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const parsed = parseCardsAction(await request.formData());
  if (!parsed.ok) return data({ kind: 'invalid' as const, message: Object.values(parsed.errors).join(' '), undoable: false }, { status: 400 });
  const now = new Date();
  if (parsed.data.intent === 'undo') {
    const undone = await undoLast({ userId: user.id, now });
    return { kind: 'undone' as const, message: undoMessage(undone), undoable: false };
  }
  const { action: kind, cardIds } = parsed.data;
  const result = await notFoundAsHttp(() => applyCardAction({ userId: user.id, action: kind, cardIds, now }));
  return { kind: 'done' as const, message: cardActionMessage(result), undoable: result.batch !== null };
}

/** The buttons of a row, and (for the ticked rows) of the bulk bar. */
const ACTION_BUTTONS = [
  { action: 'suspend', label: 'Suspend' },
  { action: 'unsuspend', label: 'Unsuspend' },
  { action: 'bury', label: 'Bury until tomorrow' },
  { action: 'unbury', label: 'Unbury' },
  { action: 'forget', label: 'Forget' },
  { action: 'review-now', label: 'Review now' },
] as const;

function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <span id={id} className="field-error" role="alert">
      {error}
    </span>
  ) : null;
}

export default function Cards() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { query, errors, facets, choices } = page;
  const busy = navigation.state !== 'idle';
  const invalid = (name: string) => (errors[name] ? { 'aria-invalid': true as const, 'aria-describedby': `cards-${name}-error` } : {});
  const select = (name: 'bank' | 'topic' | 'family' | 'state' | 'due', label: string, options: { value: string; label: string }[]) => (
    <p className="field">
      <label htmlFor={`cards-${name}`}>{label}</label>
      <br />
      <select id={`cards-${name}`} name={name} defaultValue={query[name] ?? ''} {...invalid(name)}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`cards-${name}-error`} error={errors[name]} />
    </p>
  );
  const input = (name: 'q' | 'dueFrom' | 'dueTo' | 'minLapses' | 'minRecall' | 'maxRecall', label: string, props: React.InputHTMLAttributes<HTMLInputElement>) => (
    <p className="field">
      <label htmlFor={`cards-${name}`}>{label}</label>
      <br />
      <input id={`cards-${name}`} name={name} defaultValue={query[name] === null ? '' : String(query[name])} {...invalid(name)} {...props} />
      <FieldError id={`cards-${name}-error`} error={errors[name]} />
    </p>
  );
  // After an action the ticks go: the next bulk action starts from a fresh selection.
  useEffect(() => {
    for (const box of document.querySelectorAll<HTMLInputElement>('input[name=cardId][form=bulk-actions], input.tick-all')) box.checked = false;
  }, [result]);
  const toggleAll = (e: React.ChangeEvent<HTMLInputElement>) => {
    for (const box of document.querySelectorAll<HTMLInputElement>('input[name=cardId][form=bulk-actions]')) box.checked = e.currentTarget.checked;
  };

  return (
    <section className="cards-page" aria-labelledby="cards-title">
      <h1 id="cards-title">Your cards</h1>
      <Form method="get" action="/cards" className="card-filters" role="search" aria-label="Find cards" key={JSON.stringify(query)}>
        {input('q', 'Search (title, front text, item id)', { type: 'search', maxLength: 200 })}
        {select(
          'bank',
          'Bank',
          facets.banks.map((b) => ({ value: b.id, label: b.title })),
        )}
        {select(
          'topic',
          'Topic',
          facets.topics.map((t) => ({ value: t, label: t })),
        )}
        {select(
          'family',
          'Family',
          facets.families.map((f) => ({ value: f, label: f })),
        )}
        {select(
          'state',
          'State',
          choices.states.map((s) => ({ value: s, label: s })),
        )}
        {select(
          'due',
          'Due',
          choices.dueWindows.map((d) => ({ value: d, label: d === 'today' ? 'due today (or overdue)' : d })),
        )}
        {input('dueFrom', 'Due from', { type: 'date' })}
        {input('dueTo', 'Due to', { type: 'date' })}
        {input('minLapses', 'Lapses at least', { type: 'number', min: 0, max: 1000, step: 1, inputMode: 'numeric' })}
        {input('minRecall', 'Recall from (%)', { type: 'number', min: 0, max: 100, step: 'any' })}
        {input('maxRecall', 'Recall to (%)', { type: 'number', min: 0, max: 100, step: 'any' })}
        <p className="field">
          <label htmlFor="cards-sort">Sort by</label>
          <br />
          <select id="cards-sort" name="sort" defaultValue={query.sort} {...invalid('sort')}>
            {choices.sorts.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>{' '}
          <label htmlFor="cards-dir" className="visually-hidden">
            Order
          </label>
          <select id="cards-dir" name="dir" defaultValue={query.dir} {...invalid('dir')}>
            <option value="asc">ascending</option>
            <option value="desc">descending</option>
          </select>
          <FieldError id="cards-sort-error" error={errors.sort ?? errors.dir} />
        </p>
        <p className="field">
          <button type="submit">Show</button> <Link to="/cards">Clear filters</Link>
        </p>
        <FieldError id="cards-page-error" error={errors.page} />
      </Form>

      <p data-testid="cards-count">
        {page.total === page.allCards ? countOf(page.total, 'card') : `${page.total} of ${countOf(page.allCards, 'card')} match`} · page {page.page} of {page.pageCount} ({page.pageSize} a page)
      </p>

      {result && !busy ? (
        <div className={result.kind === 'invalid' ? 'field-error' : 'notice'} role={result.kind === 'invalid' ? 'alert' : 'status'} data-testid="cards-status">
          <Form method="post" className="inline">
            {result.message}{' '}
            {result.undoable ? (
              <button type="submit" name="intent" value="undo" className="secondary small">
                Undo
              </button>
            ) : null}
          </Form>
        </div>
      ) : null}

      <Form method="post" id="bulk-actions" className="bulk-actions" aria-label="Actions on the ticked cards">
        <input type="hidden" name="intent" value="act" />
        <span>With the ticked cards: </span>
        {ACTION_BUTTONS.map((b) => (
          <button key={b.action} type="submit" name="action" value={b.action} className="secondary small" disabled={busy}>
            {b.label}
          </button>
        ))}
      </Form>
      <Form method="post" className="inline">
        <button type="submit" name="intent" value="undo" className="secondary small" disabled={busy} title="Take back today’s last review or card action">
          Undo the last change
        </button>
      </Form>

      {page.rows.length === 0 ? (
        <p>{page.allCards === 0 ? 'No cards yet: a card is made when you first review an item.' : 'No card matches these filters.'}</p>
      ) : (
        <table className="cards-table" data-testid="cards-table">
          <caption className="visually-hidden">Your cards, {(SORT_LABELS[query.sort] ?? query.sort).toLowerCase()} {query.dir === 'asc' ? 'ascending' : 'descending'}</caption>
          <thead>
            <tr>
              <th scope="col">
                <input type="checkbox" className="tick-all" aria-label="Tick every card on this page" onChange={toggleAll} />
              </th>
              <th scope="col">Card</th>
              <th scope="col">Bank · topic</th>
              <th scope="col">State</th>
              <th scope="col">Due</th>
              <th scope="col">Recall now</th>
              <th scope="col">Reviews</th>
              <th scope="col">Lapses</th>
              <th scope="col">Last review</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => {
              // Buttons and boxes are named by the item id: plain text, unique, shown under the label.
              const name = r.itemId;
              const flags = [r.suspended ? 'suspended' : null, r.leech ? 'leech' : null, r.buried ? `buried until ${r.buriedUntil}` : null, r.promoted ? 'at the front of today’s review' : null].filter(Boolean);
              return (
                <tr key={r.cardId} data-item={r.itemId} data-card={r.cardId}>
                  <td>
                    <input type="checkbox" name="cardId" value={r.cardId} form="bulk-actions" aria-label={`Tick ${name}`} />
                  </td>
                  <th scope="row">
                    <Link to={`/cards/${r.cardId}`} className="card-label" aria-label={`History of ${r.itemId}`}>
                      {r.labelHtml ? <span dangerouslySetInnerHTML={{ __html: r.labelHtml }} /> : r.itemId}
                    </Link>
                    <br />
                    <small>
                      <code>{r.itemId}</code>
                    </small>
                  </th>
                  <td>
                    {r.bankTitle} · {r.topic}
                    {r.family ? ` · ${r.family}` : ''}
                  </td>
                  <td data-testid="card-state">
                    {r.state}
                    {flags.length ? `, ${flags.join(', ')}` : ''}
                  </td>
                  <td>{r.due ?? '—'}</td>
                  <td>{r.retrievability === null ? '—' : `${Math.round(r.retrievability * 100)}%`}</td>
                  <td>{r.reps}</td>
                  <td>{r.lapses}</td>
                  <td>{r.lastReview ?? 'never'}</td>
                  <td>
                    <Form method="post" className="row-actions">
                      <input type="hidden" name="intent" value="act" />
                      <input type="hidden" name="cardId" value={r.cardId} />
                      {r.suspended ? (
                        <button type="submit" name="action" value="unsuspend" className="secondary small" aria-label={`Unsuspend ${name}`}>
                          Unsuspend
                        </button>
                      ) : (
                        <button type="submit" name="action" value="suspend" className="secondary small" aria-label={`Suspend ${name}`}>
                          Suspend
                        </button>
                      )}
                      {r.buried ? (
                        <button type="submit" name="action" value="unbury" className="secondary small" aria-label={`Unbury ${name}`}>
                          Unbury
                        </button>
                      ) : (
                        <button type="submit" name="action" value="bury" className="secondary small" aria-label={`Bury until tomorrow ${name}`}>
                          Bury
                        </button>
                      )}
                      <button type="submit" name="action" value="forget" className="secondary small" aria-label={`Forget ${name}`} disabled={r.state === 'new' && !r.leech}>
                        Forget
                      </button>
                      <button type="submit" name="action" value="review-now" className="secondary small" aria-label={`Review now ${name}`}>
                        Review now
                      </button>
                    </Form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <nav aria-label="Pages of cards" className="pager">
        {page.previous ? <Link to={page.previous}>← Previous page</Link> : null} {page.next ? <Link to={page.next}>Next page →</Link> : null}
      </nav>
    </section>
  );
}
