import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { GradedResult } from '~/components/graded-result';
import { cardReview } from '~/models/card.server';
import { requireUser } from '~/session.server';
import { gradeItem, parseStoredItem, presentItem, storedItemFailureAsHttp } from '~/study.server';

export const meta: MetaFunction = () => [{ title: 'A past review — Stride' }];

function idOf(param: string | undefined): number {
  const id = Number(param);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response('Not Found', { status: 404 });
  return id;
}

/**
 * A past review reopened as the exact question seen: a generated item rebuilt from its stored
 * variant seed (the same seed, the same numbers), the answer given regraded beside the right one.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cardId = idOf(params.id);
  const found = await cardReview({ userId: user.id, cardId, reviewId: idOf(params.reviewId) });
  if (!found) throw new Response('Not Found', { status: 404 });
  const { item: row, review } = found;
  const item = storedItemFailureAsHttp(() => parseStoredItem({ bankId: row.bankId, itemId: row.id, content: row.content }));
  const seed = item.kind === 'generated' ? review.variantSeed : null;
  const card = presentItem(row.id, item, seed);
  const graded = gradeItem(item, seed, review.rawAnswer);
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: user.timeZone });
  return {
    cardId,
    itemId: row.id,
    kind: item.kind,
    title: card.title,
    promptHtml: card.promptHtml,
    options: card.options,
    seed,
    at: when.format(review.reviewedAt),
    rawAnswer: review.rawAnswer,
    /** What was stored when answered; the regrade below should agree unless the item was edited since. */
    stored: { correct: review.correct, readAs: review.readAs, misconception: review.misconception },
    graded,
    agrees: graded.correct === review.correct,
  };
}

export default function PastReview() {
  const page = useLoaderData<typeof loader>();
  return (
    <section className="past-review" aria-labelledby="past-review-title">
      <p>
        <Link to={`/cards/${page.cardId}`}>← The card’s history</Link>
      </p>
      <h1 id="past-review-title">{page.title ?? 'The question'}, as you saw it on {page.at}</h1>
      <p>
        <code>{page.itemId}</code>
        {page.seed !== null ? (
          <>
            {' '}
            · variant seed <code data-testid="seed">{page.seed}</code>
          </>
        ) : null}
      </p>
      <article className="card" data-item={page.itemId} data-kind={page.kind} data-seed={page.seed ?? ''}>
        <div className="prompt" data-testid="prompt" dangerouslySetInnerHTML={{ __html: page.promptHtml }} />
        {page.options ? (
          <ul className="options">
            {page.options.map((o) => (
              <li key={o.key}>
                <strong>{o.key}.</strong> <span dangerouslySetInnerHTML={{ __html: o.html }} />
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          Your answer: <code data-testid="raw-answer">{page.rawAnswer || '(empty)'}</code>
          {page.stored.readAs !== null ? (
            <>
              {' '}
              · stored reading <code data-testid="stored-reading">{page.stored.readAs}</code>
            </>
          ) : null}
        </p>
        <GradedResult result={page.graded} />
        {page.agrees ? null : (
          <p className="notice" role="note">
            When you answered, this was graded {page.stored.correct ? 'right' : 'wrong'}: the item has changed since.
          </p>
        )}
      </article>
    </section>
  );
}
