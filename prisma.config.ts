import { defineConfig } from 'prisma/config';

// The CLI is used only for `prisma generate` here; migrations are plain SQL applied by
// scripts/db-migrate.ts (docs/decisions/0003-migrations.md).
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
});
