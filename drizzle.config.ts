import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes SQL migrations to db/migrations; they are committed and
// applied by db/client.ts (migrate() on open), never by `drizzle-kit push`.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
});
