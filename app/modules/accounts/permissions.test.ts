import { describe, expect, it } from 'vitest';
import { hasPermission, parsePermission } from './permissions';

describe('permissions action:entity:access', () => {
  const seller = [{ action: 'update', entity: 'product', access: 'own' as const }];
  const admin = [{ action: 'update', entity: 'product', access: 'any' as const }];
  it('own does not grant any', () => {
    expect(hasPermission(seller, 'update:product:own')).toBe(true);
    expect(hasPermission(seller, 'update:product:any')).toBe(false);
  });
  it('any grants own', () => {
    expect(hasPermission(admin, 'update:product:own')).toBe(true);
    expect(hasPermission(admin, 'update:product:any')).toBe(true);
    expect(hasPermission(admin, 'update:product')).toBe(true);
  });
  it('other actions and entities are denied', () => {
    expect(hasPermission(admin, 'read:product:own')).toBe(false);
    expect(hasPermission(admin, 'update:order:own')).toBe(false);
  });
  it('rejects malformed strings', () => {
    expect(() => parsePermission('update' as never)).toThrow();
    expect(() => parsePermission('update:product:all' as never)).toThrow();
  });
});
