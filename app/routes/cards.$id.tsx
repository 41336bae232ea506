import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { cardHistory, cardStateOf } from '~/models/card.server';
import { STATE_NAMES } from '~/models/cards-page.server';
import { schedulerSettingsOf } from '~/models/review.server';
import { retrievability } from '~/scheduling/scheduler';
import { requireUser } from '~/session.server';
import { parseStoredItem, presentItem, storedItemFailureAsHttp } from '~/study.server';

export const meta: MetaFunction<typeof loader> = ({ data: page }) => [{ title: page ? `${page.title} — your card — Stride` : 'Card — Stride' }];

/** A card id from the URL, or 404. */
function cardIdOf(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response('Not Found', { status: 404 });
  return id;
}

const RATING_NAMES = ['', 'Again', 'Hard', 'Good', 'Easy'];
const ORIGIN_NAMES = { queue: 'daily review', quiz: 'from a quiz', cards: 'asked for on the cards page' } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const history = await cardHistory({ userId: user.id, cardId: cardIdOf(params.id) });
  // Someone else's card is not found, like one that does not exist.
  if (!history) throw new Response('Not Found', { status: 404 });
  const { card, item: row, bankTitle, reviews } = history;
  const item = storedItemFailureAsHttp(() => parseStoredItem({ bankId: row.bankId, itemId: row.id, content: row.content }));
  const face = presentItem(row.id, item, null);
  const now = new Date();
  const state = cardStateOf(card);
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: user.timeZone });
  const fresh = state.state === 0;
  return {
    cardId: card.id,
    itemId: row.id,
    title: face.title ?? row.id,
    // A generated item's prompt changes with every seed: its title stands for it here.
    promptHtml: item.kind === 'generated' ? null : face.promptHtml,
    bankTitle,
    topic: row.topic,
    family: row.family,
    kind: row.kind,
    retired: row.retiredAt !== null,
    state: {
      name: STATE_NAMES[state.state],
      due: fresh ? null : when.format(card.due),
      stability: fresh ? null : state.stability,
      difficulty: fresh ? null : state.difficulty,
      retrievability: fresh ? null : retrievability(state, now, schedulerSettingsOf(user)),
      reps: state.reps,
      lapses: state.lapses,
      lastReview: card.lastReview ? when.format(card.lastReview) : null,
      suspended: card.suspended,
      leech: card.leech,
      buriedUntil: card.buriedUntil && card.buriedUntil > now ? when.format(card.buriedUntil) : null,
    },
    reviews: reviews.map((r) => ({
      id: r.id,
      at: when.format(r.reviewedAt),
      rating: RATING_NAMES[r.rating] ?? String(r.rating),
      suggested: RATING_NAMES[r.suggestedRating] ?? String(r.suggestedRating),
      correct: r.correct,
      seconds: Math.round(r.durationMs / 100) / 10,
      rawAnswer: r.rawAnswer,
      readAs: r.readAs,
      misconception: r.misconception,
      origin: ORIGIN_NAMES[r.origin],
      seed: r.variantSeed,
      hinted: r.hinted,
    })),
  };
}

export default function CardPage() {
  const page = useLoaderData<typeof loader>();
  const s = page.state;
  const flags = [s.suspended ? 'suspended' : null, s.leech ? 'leech' : null, s.buriedUntil ? `buried until ${s.buriedUntil}` : null].filter(Boolean);
  return (
    <section className="card-history" aria-labelledby="card-title">
      <p>
        <Link to="/cards">← Your cards</Link>
      </p>
      <h1 id="card-title">{page.title}</h1>
      <p>
        <code>{page.itemId}</code> · {page.bankTitle} · {page.topic}
        {page.family ? ` · ${page.family}` : ''} · {page.kind}
        {page.retired ? ' · retired from its bank' : ''}
      </p>
      {page.promptHtml ? <div className="prompt" dangerouslySetInnerHTML={{ __html: page.promptHtml }} /> : null}
      <h2>State</h2>
      <dl className="card-state" data-testid="card-state">
        <dt>State</dt>
        <dd>
          {s.name}
          {flags.length ? `, ${flags.join(', ')}` : ''}
        </dd>
        <dt>Due</dt>
        <dd>{s.due ?? '— (new)'}</dd>
        <dt>Stability</dt>
        <dd>{s.stability === null ? '—' : `${s.stability.toFixed(2)} days`}</dd>
        <dt>Difficulty</dt>
        <dd>{s.difficulty === null ? '—' : `${s.difficulty.toFixed(2)} (1 easiest – 10 hardest)`}</dd>
        <dt>Recall now</dt>
        <dd>{s.retrievability === null ? '—' : `${(s.retrievability * 100).toFixed(1)}%`}</dd>
        <dt>Reviews</dt>
        <dd>{s.reps}</dd>
        <dt>Lapses</dt>
        <dd>{s.lapses}</dd>
        <dt>Last review</dt>
        <dd>{s.lastReview ?? 'never'}</dd>
      </dl>
      <h2>Every review</h2>
      {page.reviews.length === 0 ? (
        <p>No review yet (a forgotten card keeps its reviews; this one has none).</p>
      ) : (
        <table className="review-history" data-testid="review-history">
          <caption className="visually-hidden">Reviews of this card, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Rating (suggested)</th>
              <th scope="col">Correct</th>
              <th scope="col">Time</th>
              <th scope="col">Answer given</th>
              <th scope="col">Read as</th>
              <th scope="col">Misconception</th>
              <th scope="col">How it came</th>
              <th scope="col">Question</th>
            </tr>
          </thead>
          <tbody>
            {page.reviews.map((r) => (
              <tr key={r.id} data-review={r.id} data-seed={r.seed ?? ''}>
                <td>{r.at}</td>
                <td>
                  {r.rating} ({r.suggested})
                </td>
                <td>{r.correct ? 'yes' : 'no'}{r.hinted ? ', hinted' : ''}</td>
                <td>{r.seconds} s</td>
                <td>
                  <code>{r.rawAnswer}</code>
                </td>
                <td>{r.readAs === null ? 'not read' : <code>{r.readAs}</code>}</td>
                <td>{r.misconception ?? '—'}</td>
                <td>{r.origin}</td>
                <td>
                  <Link to={`/cards/${page.cardId}/reviews/${r.id}`}>{r.seed === null ? 'See it again' : `See question (seed ${r.seed})`}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
