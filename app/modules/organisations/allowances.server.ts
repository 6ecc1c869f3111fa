// Member allowances (union welfare, 工会福利): the union admin grants members an amount valid until a
// date; members spend it at checkout (inside the order's transaction), refunds give it back, and what is
// unspent after the date returns to the union. Balances live on allowance_grant (CHECK balance_fen >= 0)
// and change only by conditional UPDATEs under row locks, each with its append-only allowance_movement.
import type { Job } from '~/modules/jobs/scheduler.server';
import type { Prisma } from '~/generated/prisma/client';
import { writeAudit } from '~/modules/audit/audit.server';
import { prisma } from '~/modules/db/db.server';
import { requireOrgAdmin, type OrgActor } from './organisations.server';

type Tx = Prisma.TransactionClient;

export class AllowanceError extends Error {
  constructor(readonly code: 'insufficient' | 'amount' | 'notMember' | 'orgKind' | 'date', message: string) {
    super(message);
  }
}

/** The calendar date in China of an instant, YYYY-MM-DD. */
export function chinaDate(at: Date) {
  return new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Organisation kinds that may grant allowances (budget units pay from their budget, not as welfare). */
export const ALLOWANCE_KINDS = ['UNION', 'ENTERPRISE'] as const;

export type GrantResult = { ok: true; grants: number; totalFen: number } | { ok: false; message: string };

/**
 * Grants each listed member `amountFen` valid through `validUntil` (China date, inclusive). All or nothing:
 * any id that is not a member of the organisation refuses the whole grant.
 */
export async function grantAllowances(
  organisationId: number, memberIds: number[], amountFen: number, validUntil: string, actor: OrgActor,
  options: { note?: string; now?: Date; request?: Request } = {},
): Promise<GrantResult> {
  await requireOrgAdmin(actor, organisationId);
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return { ok: false, message: '金额必须大于0 / The amount must be more than 0' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(validUntil) || validUntil < chinaDate(options.now ?? new Date())) {
    return { ok: false, message: '有效期不能早于今天 / The valid-until date cannot be in the past' };
  }
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return { ok: false, message: '请至少选择一名成员 / Choose at least one member' };
  const org = await prisma.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { kind: true } });
  if (!(ALLOWANCE_KINDS as readonly string[]).includes(org.kind)) return { ok: false, message: '只有工会或企业可以发放福利额度 / Only unions and enterprises grant allowances' };
  return prisma.$transaction(async (tx) => {
    // lock the memberships so a member removed meanwhile cannot receive a grant
    const found = await tx.$queryRaw<Array<{ userId: number }>>`
      select user_id as "userId" from membership where organisation_id = ${organisationId} and user_id = any(${ids}::int[]) for share`;
    if (found.length !== ids.length) {
      const missing = ids.filter((id) => !found.some((f) => f.userId === id));
      return { ok: false as const, message: `以下用户不是本单位成员：${missing.join(', ')} / Not members of this organisation: ${missing.join(', ')}` };
    }
    const n = await tx.$executeRaw`
      with g as (
        insert into allowance_grant (organisation_id, user_id, amount_fen, balance_fen, valid_until, granted_by_id, note)
        select ${organisationId}, u, ${amountFen}::bigint, ${amountFen}::bigint, ${validUntil}::date, ${actor.id}, ${options.note ?? ''}
        from unnest(${ids}::int[]) u
        returning id, user_id, amount_fen)
      insert into allowance_movement (grant_id, organisation_id, user_id, kind, amount_fen, balance_after_fen, actor_id)
      select id, ${organisationId}, user_id, 'GRANT', amount_fen, amount_fen, ${actor.id} from g`;
    await writeAudit(tx, { actorId: actor.id, action: 'allowance.grant', entityType: 'organisation', entityId: organisationId, details: { members: ids.length, amountFen, validUntil }, request: options.request });
    return { ok: true as const, grants: n, totalFen: n * amountFen };
  });
}

export type Spend = { grantId: number; amountFen: number };

/**
 * Spends `amountFen` of the member's allowances in the organisation for an order, earliest-expiring
 * grants first. Call inside the order's transaction: the member's usable grants are locked (a second
 * device waits, then sees the lowered balances) and each is lowered by a conditional UPDATE. Throws
 * AllowanceError('insufficient') when the usable balance is short; the caller's transaction then rolls back.
 */
export async function spendAllowance(tx: Tx, p: { userId: number; organisationId: number; amountFen: number; orderId: number; now?: Date }): Promise<Spend[]> {
  if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0) throw new AllowanceError('amount', `allowance spend must be positive whole 分, got ${p.amountFen}`);
  const today = chinaDate(p.now ?? new Date());
  const grants = await tx.$queryRaw<Array<{ id: number; balance: bigint }>>`
    select id, balance_fen as balance from allowance_grant
    where organisation_id = ${p.organisationId} and user_id = ${p.userId} and valid_until >= ${today}::date and balance_fen > 0
    order by valid_until, id
    for update`;
  const available = grants.reduce((s, g) => s + Number(g.balance), 0);
  if (available < p.amountFen) {
    throw new AllowanceError('insufficient', `福利额度不足：可用 ${available} 分，需要 ${p.amountFen} 分 / Allowance too low: ${available} 分 available, ${p.amountFen} 分 needed`);
  }
  let rest = p.amountFen;
  const spends: Spend[] = [];
  for (const g of grants) {
    if (rest === 0) break;
    const take = Math.min(rest, Number(g.balance));
    const updated = await tx.$queryRaw<Array<{ balance: bigint }>>`
      update allowance_grant set balance_fen = balance_fen - ${take}::bigint
      where id = ${g.id} and balance_fen >= ${take}::bigint
      returning balance_fen as balance`;
    if (!updated[0]) throw new AllowanceError('insufficient', 'allowance balance changed while spending');
    await tx.$executeRaw`
      insert into allowance_movement (grant_id, organisation_id, user_id, kind, amount_fen, balance_after_fen, order_id, actor_id)
      values (${g.id}, ${p.organisationId}, ${p.userId}, 'SPEND', ${-take}::bigint, ${updated[0].balance}, ${p.orderId}, ${p.userId})`;
    spends.push({ grantId: g.id, amountFen: take });
    rest -= take;
  }
  return spends;
}

/**
 * Gives back everything an order spent (a cancelled or refunded order), to the grants it came from.
 * Idempotent: the refund movement is unique per (order, grant), so a second call gives nothing back.
 * A grant already past its date keeps the refund only until the next expiry run returns it to the union.
 */
export async function refundAllowance(tx: Tx, p: { orderId: number; actorId?: number | null }): Promise<number> {
  const spent = await tx.$queryRaw<Array<{ grantId: number; organisationId: number; userId: number; amount: bigint }>>`
    select m.grant_id as "grantId", m.organisation_id as "organisationId", m.user_id as "userId", -m.amount_fen as amount
    from allowance_movement m where m.order_id = ${p.orderId} and m.kind = 'SPEND' order by m.grant_id`;
  let total = 0;
  for (const s of spent) {
    const locked = await tx.$queryRaw<Array<{ balance: bigint }>>`select balance_fen as balance from allowance_grant where id = ${s.grantId} for update`;
    const after = Number(locked[0]!.balance) + Number(s.amount);
    const inserted = await tx.$queryRaw<Array<{ id: bigint }>>`
      insert into allowance_movement (grant_id, organisation_id, user_id, kind, amount_fen, balance_after_fen, order_id, actor_id)
      values (${s.grantId}, ${s.organisationId}, ${s.userId}, 'REFUND', ${s.amount}, ${after}, ${p.orderId}, ${p.actorId ?? null})
      on conflict (order_id, grant_id, kind) do nothing returning id`;
    if (!inserted.length) continue;
    await tx.$executeRaw`update allowance_grant set balance_fen = balance_fen + ${s.amount} where id = ${s.grantId}`;
    total += Number(s.amount);
  }
  return total;
}

const EXPIRY_LOCK = 727_274_7001;

/**
 * Returns the unspent balance of every grant past its date to the union (EXPIRY_RETURN movements).
 * Safe with several app instances: one run at a time holds a transaction advisory lock (others skip),
 * and grants locked by a checkout in progress are skipped (FOR UPDATE SKIP LOCKED) until the next run.
 */
export async function returnExpiredAllowances(now = new Date()): Promise<{ ran: boolean; grants: number; returnedFen: number }> {
  const today = chinaDate(now);
  return prisma.$transaction(async (tx) => {
    const lock = await tx.$queryRaw<Array<{ ok: boolean }>>`select pg_try_advisory_xact_lock(${EXPIRY_LOCK}::bigint) as ok`;
    if (!lock[0]?.ok) return { ran: false, grants: 0, returnedFen: 0 };
    const rows = await tx.$queryRaw<Array<{ grants: number; returned: bigint | null }>>`
      with due as (
        select id, organisation_id, user_id, balance_fen from allowance_grant
        where valid_until < ${today}::date and balance_fen > 0
        order by id
        for update skip locked),
      upd as (update allowance_grant g set balance_fen = 0 from due where g.id = due.id returning g.id),
      mv as (
        insert into allowance_movement (grant_id, organisation_id, user_id, kind, amount_fen, balance_after_fen)
        select id, organisation_id, user_id, 'EXPIRY_RETURN', -balance_fen, 0 from due returning amount_fen)
      select (select count(*) from upd)::int as grants, (select -sum(amount_fen) from mv)::bigint as returned`;
    return { ran: true, grants: rows[0]!.grants, returnedFen: Number(rows[0]!.returned ?? 0) };
  });
}

/** Periodic job (jobs/scheduler): returns expired allowances to their union once an hour, on one instance. */
export const allowanceExpiryJob: Job = {
  name: 'organisations.allowance-expiry',
  everySeconds: 60 * 60,
  firstRunAfterSeconds: 10,
  run: async () => {
    const r = await returnExpiredAllowances();
    return r.grants ? `${r.grants} grant(s) expired, ${r.returnedFen} 分 returned` : 0;
  },
};

/** A member's allowances in an organisation: each grant and the total usable today. */
export async function memberAllowances(userId: number, organisationId: number, now = new Date()) {
  const today = chinaDate(now);
  const grants = await prisma.allowanceGrant.findMany({
    where: { userId, organisationId },
    select: { id: true, amountFen: true, balanceFen: true, validUntil: true, note: true, createdAt: true },
    orderBy: [{ validUntil: 'desc' }, { id: 'desc' }],
    take: 100,
  });
  const rows = grants.map((g) => {
    const validUntil = g.validUntil.toISOString().slice(0, 10);
    return { id: g.id, amountFen: Number(g.amountFen), balanceFen: Number(g.balanceFen), validUntil, note: g.note, usable: validUntil >= today && g.balanceFen > 0n };
  });
  return { grants: rows, usableFen: rows.filter((r) => r.usable).reduce((s, r) => s + r.balanceFen, 0) };
}

/** The union-level report: granted, spent (net of refunds), returned after expiry and still outstanding; per member too. */
export async function allowanceReport(organisationId: number) {
  const totals = await prisma.$queryRaw<Array<{ kind: string; amount: bigint }>>`
    select kind::text as kind, sum(amount_fen)::bigint as amount from allowance_movement where organisation_id = ${organisationId} group by kind`;
  const by = (k: string) => Number(totals.find((t) => t.kind === k)?.amount ?? 0);
  const outstanding = await prisma.$queryRaw<Array<{ amount: bigint | null }>>`
    select sum(balance_fen)::bigint as amount from allowance_grant where organisation_id = ${organisationId}`;
  const members = await prisma.$queryRaw<Array<{ userId: number; name: string; email: string; granted: bigint; spent: bigint; returned: bigint; balance: bigint }>>`
    select u.id as "userId", u.name, u.email,
      coalesce(sum(m.amount_fen) filter (where m.kind = 'GRANT'), 0)::bigint as granted,
      coalesce(-sum(m.amount_fen) filter (where m.kind in ('SPEND', 'REFUND')), 0)::bigint as spent,
      coalesce(-sum(m.amount_fen) filter (where m.kind = 'EXPIRY_RETURN'), 0)::bigint as returned,
      coalesce(sum(m.amount_fen), 0)::bigint as balance
    from allowance_movement m join app_user u on u.id = m.user_id
    where m.organisation_id = ${organisationId}
    group by u.id order by u.id limit 1000`;
  return {
    grantedFen: by('GRANT'),
    spentFen: -(by('SPEND') + by('REFUND')),
    returnedFen: -by('EXPIRY_RETURN'),
    outstandingFen: Number(outstanding[0]?.amount ?? 0),
    members: members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, grantedFen: Number(m.granted), spentFen: Number(m.spent), returnedFen: Number(m.returned), balanceFen: Number(m.balance) })),
  };
}
