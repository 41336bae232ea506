import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations for both engines (this file: SQLite; drizzle.pg.config.ts:
// PostgreSQL); they are committed and applied by db/client.ts on open, never by `drizzle-kit push`.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema-sqlite.ts',
  out: './db/migrations/sqlite',
});
