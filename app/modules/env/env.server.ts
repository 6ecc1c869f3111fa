import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z
      .string({ required_error: 'is required (npm start sets it for the embedded PostgreSQL)' })
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
    /** A streaming read replica for reports (ledger totals, the officials' dashboard, drill-down, exports). */
    DATABASE_REPLICA_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional(),
    PORT: z.coerce.number({ message: 'must be a number' }).int().min(1).max(65535).default(3000),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    DEMO_DATA: bool.optional(),
    PUBLIC_URL: z.string().url('must be an absolute URL such as https://shanhai.example').optional(),
    UPLOADS_DIR: z.string().min(1).default('.data/uploads'),
    MEILISEARCH_URL: z.string().url('must be a URL such as http://127.0.0.1:7700').optional(),
    MEILISEARCH_API_KEY: z.string().min(1).optional(),
    STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_/, 'must start with sk_ or rk_').optional(),
    STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, 'must start with whsec_').optional(),
    STRIPE_API_BASE: z.string().url().optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Periodic jobs (app/modules/jobs) in this process; each period runs once across all instances anyway. */
    JOBS_ENABLED: bool.default('true'),
    JOBS_POLL_SECONDS: z.coerce.number({ message: 'must be a number' }).min(0.2).max(3600).default(15),
    /** Express `trust proxy`: how many proxies (load balancers) sit in front of the app, or `false`. */
    TRUST_PROXY: z.string().regex(/^(false|true|\d{1,2}|loopback)$/, 'must be false, a hop count (e.g. 1) or loopback').default('loopback'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if (env.NODE_ENV === 'production' && env.DEMO_DATA) {
      ctx.addIssue({ code: 'custom', path: ['DEMO_DATA'], message: 'demo accounts are never loaded with NODE_ENV=production' });
    }
    if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET go together' });
    }
    if (Boolean(env.MEILISEARCH_URL) !== Boolean(env.MEILISEARCH_API_KEY) && env.MEILISEARCH_URL && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['MEILISEARCH_API_KEY'], message: 'is required with MEILISEARCH_URL in production' });
    }
  });

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string; DEMO_DATA: boolean };

export class EnvError extends Error {}

/** Parse and check the environment; the message names every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const env = result.data;
  return {
    ...env,
    SESSION_SECRET: env.SESSION_SECRET ?? 'shanhai-development-secret-not-for-production',
    DEMO_DATA: env.DEMO_DATA ?? env.NODE_ENV !== 'production',
  };
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
