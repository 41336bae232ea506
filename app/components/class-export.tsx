import { countOf } from '../../engine/answers/format';
import { ACTIVITY_WINDOWS_DAYS, DEFAULT_ACTIVITY_WINDOW } from '~/gradebook-windows';

/**
 * The class page's "Export" section: the gradebook for an LMS, every quiz answer, and the review
 * activity over a chosen window. Plain links and a GET form to resource routes: the browser
 * downloads the files, with or without JavaScript.
 */
export function ClassExport({ classId }: { classId: number }) {
  return (
    <section aria-labelledby="class-export-title" className="class-export">
      <h2 id="class-export-title">Export</h2>
      <ul>
        <li>
          <a href={`/classes/${classId}/gradebook.csv`} download>
            Gradebook (CSV)
          </a>{' '}
          — Canvas&rsquo;s gradebook columns: one row per student (matched by email as SIS Login ID), one column per assigned quiz with the best attempt&rsquo;s
          score in percent.
        </li>
        <li>
          <a href={`/classes/${classId}/answers.csv`} download>
            Quiz answers (CSV)
          </a>{' '}
          — every question of every submitted attempt: the answer, right or wrong, the score after regrades and drops, the time.
        </li>
      </ul>
      <form method="get" action={`/classes/${classId}/activity.csv`}>
        <label htmlFor="activity-days">Review activity over the last</label>{' '}
        <select id="activity-days" name="days" defaultValue={DEFAULT_ACTIVITY_WINDOW}>
          {ACTIVITY_WINDOWS_DAYS.map((d) => (
            <option key={d} value={d}>
              {countOf(d, 'day')}
            </option>
          ))}
        </select>{' '}
        <button type="submit">Download activity (CSV)</button>
      </form>
    </section>
  );
}
