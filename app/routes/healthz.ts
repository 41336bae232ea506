import { checkDatabase } from '~/health.server';

/** 200 when the database answers a query, 503 otherwise. */
export async function loader() {
  const db = await checkDatabase();
  return new Response(JSON.stringify({ ok: db.ok, database: db.ok ? 'ok' : db.error }), {
    status: db.ok ? 200 : 503,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
