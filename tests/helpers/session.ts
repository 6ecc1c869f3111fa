// The demo users' console scopes, for calling console loaders and modules the way Remix calls them.
// Sessions and requests come from ./actors (real sessions in the database).
import { consoleScopeOf } from '~/modules/console/scope.server';
import { actorFor } from './actors';

export async function scopeOf(email: string) {
  return consoleScopeOf(await actorFor(email));
}

export const DEMO = {
  consumer: 'consumer@demo.shanhai.cn',
  zs: 'official-zs-lps@demo.shanhai.cn',
  hp: 'official-hp-ds@demo.shanhai.cn',
  admin: 'admin@demo.shanhai.cn',
  union: 'union@demo.shanhai.cn',
  coop: 'coop-panzhou@demo.shanhai.cn',
} as const;
