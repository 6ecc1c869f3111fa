import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.server';

const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db' };

describe('environment validation', () => {
  it('accepts a minimal development environment with defaults', () => {
    const env = parseEnv({ ...base });
    expect(env.PORT).toBe(3000);
    expect(env.DEMO_DATA).toBe(true);
    expect(env.SESSION_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ ...base, PORT: 'eighty' })).toThrow(/PORT: must be a number/);
    expect(() => parseEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    expect(() => parseEnv({})).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ ...base, MEILISEARCH_URL: 'not a url' })).toThrow(/MEILISEARCH_URL/);
    expect(() => parseEnv({ ...base, DEMO_DATA: 'maybe' })).toThrow(/DEMO_DATA: must be true or false/);
  });

  it('refuses production without a session secret, and demo data in production', () => {
    expect(() => parseEnv({ ...base, NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required/);
    const secret = 'x'.repeat(40);
    expect(parseEnv({ ...base, NODE_ENV: 'production', SESSION_SECRET: secret }).DEMO_DATA).toBe(false);
    expect(() => parseEnv({ ...base, NODE_ENV: 'production', SESSION_SECRET: secret, DEMO_DATA: 'true' })).toThrow(/DEMO_DATA/);
  });

  it('requires Stripe keys together', () => {
    expect(() => parseEnv({ ...base, STRIPE_SECRET_KEY: 'sk_test_123' })).toThrow(EnvError);
  });
});
