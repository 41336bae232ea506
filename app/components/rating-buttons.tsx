/**
 * The four rating buttons after an answer, each with the interval it would give (computed on the
 * server by ts-fsrs: app/scheduling/intervals.ts), and the same four intervals as one line for
 * the quiz's practice mode. The rating names live here, the one place the browser reads them.
 */

/** What the server sends per rating (RatingInterval without its due date). */
export type ShownInterval = { rating: number; label: string; words: string };

export const RATING_LABELS = ['Again', 'Hard', 'Good', 'Easy'] as const;

export function ratingLabel(rating: number): string {
  return RATING_LABELS[rating - 1] ?? `rating ${rating}`;
}

export function RatingButtons({
  suggested,
  chosen,
  intervals,
  onChoose,
}: {
  suggested: number;
  chosen: number | null;
  /** Absent when the server sent none (an older reply): the buttons then show their names only. */
  intervals: readonly ShownInterval[] | null;
  onChoose: (rating: number) => void;
}) {
  return (
    <fieldset className="ratings" data-testid="ratings">
      <legend>
        Rating (suggested: <strong>{ratingLabel(suggested)}</strong>; keys 1–4 to change)
      </legend>
      {RATING_LABELS.map((label, i) => {
        const value = i + 1;
        const interval = intervals?.find((x) => x.rating === value);
        return (
          <button
            key={value}
            type="button"
            className={chosen === value ? 'rating chosen' : 'rating secondary'}
            aria-pressed={chosen === value}
            aria-keyshortcuts={String(value)}
            aria-label={interval ? `${label}, next in ${interval.words}` : undefined}
            data-rating={value}
            data-interval={interval?.label}
            onClick={() => onChoose(value)}
          >
            {value} · {label}
            {interval ? (
              <span className="interval" aria-hidden="true">
                {interval.label}
              </span>
            ) : null}
          </button>
        );
      })}
    </fieldset>
  );
}

/** "In your daily review: Again 10m · Hard 1d · Good 3d · Easy 8d" (quiz practice mode: read-only). */
export function DailyReviewIntervals({ intervals }: { intervals: readonly ShownInterval[] }) {
  return (
    <p className="daily-intervals" data-testid="daily-intervals">
      In your daily review:{' '}
      {intervals.map((x, i) => (
        <span key={x.rating} data-rating={x.rating} data-interval={x.label}>
          {i > 0 ? ' · ' : ''}
          {ratingLabel(x.rating)} <abbr title={x.words}>{x.label}</abbr>
        </span>
      ))}
    </p>
  );
}
