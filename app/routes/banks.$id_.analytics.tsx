/** An instructor's analytics by parameter region for one bank: all its users, or one class's members (?class=<id>). */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { RegionAnalyticsView } from '~/components/analytics/region-analytics';
import { ALPHA, MIN_TEST_ATTEMPTS } from '~/analytics/stats';
import { bankRegionAnalytics } from '~/models/analytics.server';
import { forbiddenOnDenial } from '~/models/authoring.server';
import { requireInstructor } from '~/session.server';
import { countOf } from '../../engine/answers/format';
import instructorStyles from '~/styles/instructor.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: instructorStyles }];
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  {
    title: `Analytics by region — ${d?.analytics.scope.bankTitle ?? 'bank'} — Stride`,
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireInstructor(request);
  const bankId = params.id;
  if (!bankId) throw new Response('Not Found', { status: 404 });
  const raw = new URL(request.url).searchParams.get('class');
  if (raw !== null && !/^\d{1,9}$/.test(raw)) throw new Response('Not Found', { status: 404 });
  const classId = raw === null ? null : Number(raw);
  const analytics = await forbiddenOnDenial(() => bankRegionAnalytics({ userId: user.id, bankId, classId }));
  return { analytics };
}

export default function BankRegionAnalytics() {
  const { analytics } = useLoaderData<typeof loader>();
  const s = analytics.scope;
  return (
    <main className="region-analytics-page">
      <h1>Analytics by region: {s.bankTitle}</h1>
      <p>
        {s.classId === null ? (
          'Every user of the bank'
        ) : (
          <>
            Members of <Link to={`/classes/${s.classId}`}>{s.className}</Link>
          </>
        )}
        : {countOf(analytics.students, 'student')}, {countOf(analytics.attempts, 'review')}. {s.classId === null ? null : <Link to={`/banks/${encodeURIComponent(s.bankId)}/analytics`}>All users</Link>}
      </p>
      <p>
        Each region is compared with the rest of its item (or family) by Fisher&apos;s exact test, Holm-corrected over the item&apos;s regions at α = {ALPHA}; regions with fewer than {countOf(MIN_TEST_ATTEMPTS, 'attempt')} (or a rest that
        small) are not tested. A region significantly harder than the rest is flagged. Intervals are Wilson 95%.
      </p>
      <RegionAnalyticsView analytics={analytics} />
    </main>
  );
}
