// Permissions in the `action:entity:access` style (access: own | any). `any` implies `own`.
export type Access = 'own' | 'any';
export type PermissionString = `${string}:${string}` | `${string}:${string}:${Access}`;
export type Permission = { action: string; entity: string; access: Access };

export function parsePermission(p: PermissionString): Permission & { accessGiven: boolean } {
  const [action, entity, access] = p.split(':');
  if (!action || !entity) throw new Error(`Malformed permission "${p}"`);
  if (access && access !== 'own' && access !== 'any') throw new Error(`Malformed permission access "${p}"`);
  return { action, entity, access: (access as Access | undefined) ?? 'own', accessGiven: Boolean(access) };
}

/**
 * Does a user holding `held` have `wanted`? `read:product:own` is satisfied by own or any;
 * `read:product:any` only by any; `read:product` (no access) by either.
 */
export function hasPermission(held: readonly Permission[], wanted: PermissionString): boolean {
  const w = parsePermission(wanted);
  return held.some(
    (h) => h.action === w.action && h.entity === w.entity && (!w.accessGiven || w.access === 'own' || h.access === 'any'),
  );
}
