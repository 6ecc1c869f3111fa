// Offline procurement imports: stage → check → (official confirms) → commit → (maybe) revert.
//
// stage:  the file is stored (private storage), read as a stream and COPYed into import_staging_row,
//         each row already checked for everything that needs no database (parse.server.ts);
// check:  set-based SQL over the staged batch: origin county known, in the official's scope and paired on
//         that day (ledger_pairings_for), buyer place known, duplicates within the file, duplicates of
//         committed records, platform order numbers;
// commit: one transaction, one statement: import_row ← staging, and its RETURNING rows joined to
//         ledger_pairings_for (resolved once per distinct origin and day, the same pairing logic as
//         platform sales) → ledger entries; the UNIQUE index on import_row is the final word on
//         duplicates, also between concurrent commits (ADR 0012 for what makes it fast);
// revert: one transaction: IMPORT_REVERSAL entries for every entry of the batch (reverseLedgerBulk),
//         nothing deleted; the rows stop being "live" so a corrected file can be imported again.
// Every step is audited.
import crypto from 'node:crypto';
import { Prisma } from '~/generated/prisma/client';
import { reverseLedgerBulk } from '~/modules/attribution/ledger.server';
import { writeAudit } from '~/modules/audit/audit.server';
import { copyFrom, copyText } from '~/modules/db/copy.server';
import { pool, prisma } from '~/modules/db/db.server';
import { privateStorage } from '~/modules/storage/storage.server';
import type { ConsoleScope } from '~/modules/console/scope.server';
import type { BatchErrorCode } from './format';
import {
  EncodingSniffer, ImportFileError, chinaToday, csvRows, decode, isBlank, mapHeader, readRow, xlsxRows,
  type Encoding, type HeaderMap, type RawRow, type Source, type StagedRow,
} from './parse.server';

export { ImportFileError } from './parse.server';

export class ImportError extends Error {
  constructor(readonly code: BatchErrorCode, detail = '') {
    super(detail ? `${code}: ${detail}` : code);
  }
}

/** Who is importing: a user and the pairings they may import for (null = every pairing, admins). */
export type ImportActor = { userId: number; pairingIds: number[] | null };

export function importActor(scope: Pick<ConsoleScope, 'user' | 'isAdmin' | 'pairingIds'>): ImportActor {
  return { userId: scope.user.id, pairingIds: scope.isAdmin ? null : scope.pairingIds };
}

/** Web uploads stay small; the CLI (npm run import:offline) has no limit but memory stays flat anyway. */
export const WEB_MAX_ROWS = 100_000;
export const WEB_MAX_BYTES = 20 * 1024 * 1024;

export type Progress = { phase: 'store' | 'parse' | 'check' | 'commit' | 'done'; bytes: number; rows: number };

export type StageInput = {
  actor: ImportActor;
  fileName: string;
  source: Source;
  maxRows?: number;
  request?: Request;
  onProgress?: (p: Progress) => void;
};

function formatOf(fileName: string, head: Buffer): 'csv' | 'xlsx' {
  const zip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const ext = fileName.toLowerCase().split('.').pop();
  if (zip || ext === 'xlsx') {
    if (!zip) throw new ImportFileError('file.type');
    return 'xlsx';
  }
  if (ext === 'csv' || ext === 'txt' || !fileName.includes('.')) return 'csv';
  throw new ImportFileError('file.type');
}

/**
 * SQL: (origin_code, occurred_on, pairing_id, pairing_level) for the distinct (origin, day) pairs `days`
 * yields — the pairings ledger_pairings_for gives, with the place tree walked once per distinct origin
 * (ledger_pairings_of) and the validity filtered per day: linear in the file, whatever its size.
 * Both CTEs are MATERIALIZED so that a nested loop over the days never calls the function again.
 */
function pairingsOfDays(days: string) {
  return `(
    with od as materialized (${days}),
    a as materialized (select o.origin_code, p.pairing_id, p.pairing_level, p.valid_from, p.valid_to
          from (select distinct origin_code from od) o cross join lateral ledger_pairings_of(o.origin_code) p)
    select od.origin_code, od.occurred_on, a.pairing_id, a.pairing_level
    from od join a on a.origin_code = od.origin_code
      and a.valid_from <= od.occurred_on and (a.valid_to is null or a.valid_to >= od.occurred_on))`;
}

const STAGING_COLUMNS = 'batch_id, row_no, occurred_on, buyer_name, buyer_type, buyer_place_code, seller_name, origin_code, description, statistics_kind, flow, quantity, amount_fen, channel, evidence_ref, platform_order, errors';

function copyLine(batchId: number, r: StagedRow) {
  return `${batchId}\t${r.rowNo}\t${copyText(r.occurredOn)}\t${copyText(r.buyerName)}\t${copyText(r.buyerType)}\t${copyText(r.buyerPlaceCode)}\t${copyText(r.sellerName)}\t${copyText(r.originCode)}\t${copyText(r.description)}\t${copyText(r.statisticsKind)}\t${copyText(r.flow)}\t${copyText(r.quantity)}\t${copyText(r.amountFen)}\t${copyText(r.channel)}\t${copyText(r.evidenceRef)}\t${copyText(r.platformOrder)}\t{${r.errors.join(',')}}\n`;
}

/**
 * Stores the file, stages and checks its rows. Returns the batch (status STAGED) whether or not the file
 * is valid: its errors are shown in the preview. Throws ImportFileError only for files that are not CSV or
 * XLSX at all (no batch is created then).
 */
export async function stageImport(input: StageInput): Promise<{ batchId: number }> {
  const progress = input.onProgress ?? (() => {});
  // Pass 1: store privately, hash, measure, sniff the text encoding.
  let head: Buffer | null = null;
  for await (const chunk of input.source()) {
    head = chunk.subarray(0, 8);
    break;
  }
  if (!head || head.length === 0) throw new ImportFileError('file.empty');
  const format = formatOf(input.fileName, head);
  const hash = crypto.createHash('sha256');
  const sniffer = new EncodingSniffer();
  let bytes = 0;
  const key = `imports/${chinaToday().slice(0, 7).replace('-', '/')}/${crypto.randomUUID()}.${format}`;
  await privateStorage().putStream(key, (async function* () {
    for await (const chunk of input.source()) {
      hash.update(chunk);
      if (format === 'csv') sniffer.push(chunk);
      bytes += chunk.length;
      progress({ phase: 'store', bytes, rows: 0 });
      yield chunk;
    }
  })());
  const encoding: Encoding | 'XLSX' = format === 'xlsx' ? 'XLSX' : sniffer.result();
  const batch = await prisma.importBatch.create({
    data: {
      fileName: input.fileName.slice(0, 255), fileKey: key, fileSha256: hash.digest('hex'), fileBytes: BigInt(bytes),
      format, encoding, createdById: input.actor.userId,
    },
  });

  // Pass 2: read the rows and COPY them into staging.
  const today = chinaToday();
  const maxRows = input.maxRows ?? Number.MAX_SAFE_INTEGER;
  let rows = 0;
  let read = 0;
  const source = input.source;
  const counted = async function* () {
    for await (const chunk of source()) {
      read += chunk.length;
      yield chunk;
    }
  };
  const raw: AsyncIterable<RawRow[]> = format === 'xlsx' ? xlsxRows(counted()) : csvRows(decode(counted(), encoding as Encoding));
  async function* lines() {
    let header: HeaderMap | null = null;
    let width = 0;
    for await (const batchRows of raw) {
      let out = '';
      for (const r of batchRows) {
        if (isBlank(r.cells)) continue;
        if (!header) {
          header = mapHeader(r.cells);
          width = r.cells.length;
          continue;
        }
        if (++rows > maxRows) throw new ImportFileError('file.tooManyRows', String(maxRows));
        out += copyLine(batch.id, readRow(r, header, width, today, format === 'csv'));
      }
      progress({ phase: 'parse', bytes: read, rows });
      if (out) yield out;
    }
    if (!header) throw new ImportFileError('file.empty');
  }
  const client = await pool().connect();
  let fileError: string | null = null;
  try {
    await copyFrom(client, `COPY import_staging_row (${STAGING_COLUMNS}) FROM STDIN`, lines());
    if (rows === 0) fileError = 'file.noRows';
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    fileError = error.detail ? `${error.code}:${error.detail}` : error.code;
    await client.query('delete from import_staging_row where batch_id = $1', [batch.id]);
  } finally {
    client.release();
  }
  if (fileError) {
    await prisma.$transaction(async (tx) => {
      await tx.importBatch.update({ where: { id: batch.id }, data: { fileError, rowCount: 0 } });
      await writeAudit(tx, { actorId: input.actor.userId, action: 'import.stage', entityType: 'import_batch', entityId: batch.id, details: { fileName: input.fileName, fileError }, request: input.request });
    });
    progress({ phase: 'done', bytes, rows: 0 });
    return { batchId: batch.id };
  }
  progress({ phase: 'check', bytes, rows });
  const summary = await checkStaged(batch.id, input.actor.pairingIds);
  await prisma.$transaction(async (tx) => {
    await writeAudit(tx, {
      actorId: input.actor.userId, action: 'import.stage', entityType: 'import_batch', entityId: batch.id,
      details: { fileName: input.fileName, sha256: batch.fileSha256, rows: summary.rowCount, badRows: summary.errorCount, totalFen: summary.totalFen },
      request: input.request,
    });
  });
  progress({ phase: 'done', bytes, rows });
  return { batchId: batch.id };
}

/**
 * The set-based checks of a staged batch (re-runnable: they overwrite check_errors), then the batch's
 * counts, total and pairings. `pairingIds` null = no scope limit (admin).
 */
export async function checkStaged(batchId: number, pairingIds: number[] | null) {
  // Fresh statistics after the COPY, and hash joins between the CTEs: with a nested loop (what the planner
  // picks when it underestimates the staged rows) the checks grow with the square of the file's rows.
  await prisma.$executeRawUnsafe('analyze import_staging_row');
  const [s] = await prisma.$transaction(async (db) => {
    await db.$executeRawUnsafe(BULK_WORK_MEM);
    // each distinct (origin, day) with its pairings (ledger_pairings_of once per distinct origin, the
    // validity filtered per day), kept with statistics
    await db.$executeRawUnsafe(`create temp table import_check_pairings (origin_code text, occurred_on date, pairings int[]) on commit drop`);
    await db.$executeRawUnsafe(
      `insert into import_check_pairings
       with od as materialized (
         select distinct origin_code, occurred_on from import_staging_row
         where batch_id = $1 and occurred_on is not null and origin_code ~ '^[0-9]{6}$'),
       a as materialized (
         select o.origin_code, p.pairing_id, p.valid_from, p.valid_to
         from (select distinct origin_code from od) o cross join lateral ledger_pairings_of(o.origin_code) p)
       select od.origin_code, od.occurred_on, coalesce(array_agg(a.pairing_id) filter (where a.pairing_id is not null), '{}')
       from od left join a on a.origin_code = od.origin_code
         and a.valid_from <= od.occurred_on and (a.valid_to is null or a.valid_to >= od.occurred_on)
       group by 1, 2`, batchId);
    await db.$executeRawUnsafe('analyze import_check_pairings');
    await db.$executeRawUnsafe(`create temp table import_check_result (row_no int, errs text[]) on commit drop`);
    await db.$executeRawUnsafe('set local enable_nestloop = off');
    await db.$executeRawUnsafe(
      `insert into import_check_result
       with s as not materialized (
         select row_no, origin_code, occurred_on, buyer_place_code, evidence_ref, seller_name, amount_fen, platform_order, check_errors
         from import_staging_row where batch_id = $1),
       -- records that occur more than once in the file (one hash aggregate; usually none): every row but the first is a duplicate
       dup as (
         select evidence_ref, seller_name, occurred_on, amount_fen, min(row_no) as first_row
         from s where evidence_ref <> '' and seller_name <> '' and occurred_on is not null and amount_fen is not null
         group by 1, 2, 3, 4 having count(*) > 1),
       checks as (
         select s.row_no, s.check_errors as old, array_remove(array[
           case when po.code is null then case when s.origin_code ~ '^[0-9]{6}$' then 'origin.unknown' end end,
           case when po.code is not null and op.origin_code is not null and cardinality(op.pairings) = 0 then 'origin.noPairing' end,
           case when $2::int[] is not null and cardinality(op.pairings) > 0 and not (op.pairings && $2::int[]) then 'origin.outOfScope' end,
           case when pb.code is null then case when s.buyer_place_code ~ '^[0-9]{6}([0-9]{3})?$' then 'buyerPlace.unknown' end end,
           case when s.row_no > d.first_row then 'duplicate.inFile:' || d.first_row end,
           case when ex.batch_id is not null then 'duplicate.existing:' || ex.batch_id end,
           case when s.platform_order is not null then 'duplicate.platformOrder:' || s.platform_order end
         ], null) as errs
         from s
         left join place po on po.code = s.origin_code and po.level = 'COUNTY'
         left join import_check_pairings op on op.origin_code = s.origin_code and op.occurred_on = s.occurred_on
         left join place pb on pb.code = s.buyer_place_code
         left join dup d on d.evidence_ref = s.evidence_ref and d.seller_name = s.seller_name and d.occurred_on = s.occurred_on and d.amount_fen = s.amount_fen
         left join import_row ex on ex.evidence_ref = s.evidence_ref and ex.seller_name = s.seller_name and ex.occurred_on = s.occurred_on
           and ex.amount_fen = s.amount_fen and ex.live)
       select row_no, errs from checks where cardinality(errs) > 0 or cardinality(old) > 0`,
      batchId, pairingIds,
    );
    // only the rows whose reasons changed are written (none, for a clean file: no pass over the staging rows)
    await db.$executeRawUnsafe('analyze import_check_result');
    await db.$executeRawUnsafe('set local enable_nestloop = on');
    await db.$executeRawUnsafe(
      `update import_staging_row t set check_errors = c.errs from import_check_result c where t.batch_id = $1 and t.row_no = c.row_no`, batchId);
    // counts, total and pairings in one pass (the pairings of the good rows' days are already resolved)
    return db.$queryRawUnsafe<Array<{ rows: number; bad: number; total: bigint; ids: number[] }>>(
      `with g as materialized (
         select origin_code, occurred_on, amount_fen, cardinality(errors) + cardinality(check_errors) = 0 as good
         from import_staging_row where batch_id = $1)
       select count(*)::int as rows, count(*) filter (where not good)::int as bad,
         coalesce(sum(amount_fen) filter (where good), 0)::bigint as total,
         (select coalesce(array_agg(distinct p.id order by p.id), '{}')
          from (select distinct origin_code, occurred_on from g where good) d
          join import_check_pairings c on c.origin_code = d.origin_code and c.occurred_on = d.occurred_on
          cross join lateral unnest(c.pairings) p(id)) as ids
       from g`,
      batchId,
    );
  }, LONG_TX);
  // stored exactly as summed (bigint); the summary's number is for display and the audit record
  await prisma.importBatch.update({
    where: { id: batchId },
    data: { rowCount: s!.rows, errorCount: s!.bad, totalFen: BigInt(s!.total), pairingIds: s!.ids },
  });
  const summary = { rowCount: s!.rows, errorCount: s!.bad, totalFen: Number(s!.total), pairingIds: s!.ids };
  return summary;
}

export type BatchAccess = Pick<ConsoleScope, 'user' | 'isAdmin' | 'pairingIds'>;

export async function getBatch(id: number) {
  const b = await prisma.importBatch.findUnique({ where: { id } });
  if (!b) return null;
  return { ...b, fileBytes: Number(b.fileBytes), totalFen: Number(b.totalFen) };
}
export type Batch = NonNullable<Awaited<ReturnType<typeof getBatch>>>;

/** May this user see the batch? Admins, its uploader, and officials of a pairing it counts for. */
export function canSeeBatch(scope: BatchAccess, b: Pick<Batch, 'createdById' | 'pairingIds'>) {
  return scope.isAdmin || b.createdById === scope.user.id || b.pairingIds.some((id) => scope.pairingIds.includes(id));
}

/** May this user revert the batch? Admins, its uploader, or officials of every pairing it counts for. */
export function canRevertBatch(scope: BatchAccess, b: Pick<Batch, 'createdById' | 'pairingIds'>) {
  return scope.isAdmin || b.createdById === scope.user.id || (b.pairingIds.length > 0 && b.pairingIds.every((id) => scope.pairingIds.includes(id)));
}

export async function listBatches(scope: BatchAccess, page: { take: number; skip: number }) {
  const where: Prisma.ImportBatchWhereInput = scope.isAdmin ? {} : { OR: [{ createdById: scope.user.id }, { pairingIds: { hasSome: scope.pairingIds } }] };
  const [total, rows] = await Promise.all([
    prisma.importBatch.count({ where }),
    prisma.importBatch.findMany({ where, orderBy: { id: 'desc' }, take: page.take, skip: page.skip }),
  ]);
  return { total, items: rows.map((b) => ({ ...b, fileBytes: Number(b.fileBytes), totalFen: Number(b.totalFen) })) };
}

export type BatchRow = {
  rowNo: number; occurredOn: string | null; buyerName: string; buyerType: string | null; buyerPlaceCode: string; sellerName: string;
  originCode: string; description: string; statisticsKind: string | null; flow: string | null; quantity: number | null;
  amountFen: number | null; channel: string; evidenceRef: string; errors: string[]; id?: number;
};

/** The rows of a batch: staged rows (optionally only the bad ones) or, once committed, its import rows. */
export async function listBatchRows(b: Pick<Batch, 'id' | 'status'>, opts: { onlyBad?: boolean; take: number; skip: number }) {
  const staged = b.status === 'STAGED';
  const table = staged ? 'import_staging_row' : 'import_row';
  const bad = staged && opts.onlyBad ? 'and cardinality(errors) + cardinality(check_errors) > 0' : '';
  const cols = `row_no as "rowNo", to_char(occurred_on, 'YYYY-MM-DD') as "occurredOn", buyer_name as "buyerName", buyer_type::text as "buyerType",
    buyer_place_code as "buyerPlaceCode", seller_name as "sellerName", origin_code as "originCode", description,
    statistics_kind::text as "statisticsKind", flow::text as flow, quantity, amount_fen as "amountFen", channel, evidence_ref as "evidenceRef",
    ${staged ? 'errors || check_errors' : `'{}'::text[]`} as errors${staged ? '' : ', id'}`;
  const [rows, [count]] = await Promise.all([
    prisma.$queryRawUnsafe<Array<BatchRow & { amountFen: bigint | null; id?: bigint }>>(
      `select ${cols} from ${table} where batch_id = $1 ${bad} order by row_no limit $2 offset $3`, b.id, opts.take, opts.skip),
    prisma.$queryRawUnsafe<Array<{ n: number }>>(`select count(*)::int as n from ${table} where batch_id = $1 ${bad}`, b.id),
  ]);
  return {
    total: count!.n,
    items: rows.map((r) => ({ ...r, amountFen: r.amountFen === null ? null : Number(r.amountFen), id: r.id === undefined ? undefined : Number(r.id) })),
  };
}

/**
 * What the batch adds (staged: would add) per pairing, kind and flow. For a committed or reverted batch
 * this is read from its ledger entries (a reverted batch nets to zero).
 */
export async function batchEffect(b: Pick<Batch, 'id' | 'status'>) {
  type R = { pairingId: number; kind: string; flow: string; amount: bigint; rows: number };
  const rows = b.status === 'STAGED'
    ? await prisma.$queryRawUnsafe<R[]>(
      `with v as (select origin_code, occurred_on, statistics_kind, flow, amount_fen from import_staging_row
                  where batch_id = $1 and cardinality(errors) = 0 and cardinality(check_errors) = 0),
            m as (select origin_code, occurred_on, pairing_id from ${pairingsOfDays('select distinct origin_code, occurred_on from v')} x)
       select m.pairing_id as "pairingId", v.statistics_kind::text as kind, v.flow::text as flow, sum(v.amount_fen)::bigint as amount, count(*)::int as rows
       from v join m using (origin_code, occurred_on) group by 1, 2, 3 order by 1, 2, 3`, b.id)
    : await prisma.$queryRawUnsafe<R[]>(
      `select e.pairing_id as "pairingId", e.statistics_kind::text as kind, e.flow::text as flow, sum(e.amount_fen)::bigint as amount,
              count(*) filter (where e.source_type = 'IMPORT_ROW')::int as rows
       from ledger_entry e
       where e.source_type in ('IMPORT_ROW', 'IMPORT_REVERSAL') and e.source_id in (select id::text from import_row where batch_id = $1)
       group by 1, 2, 3 order by 1, 2, 3`, b.id);
  return rows.map((r) => ({ ...r, amountFen: Number(r.amount) }));
}

/** An earlier committed batch of the very same file, if any (the rows say "duplicate" anyway). */
export async function sameFileCommitted(b: Pick<Batch, 'id' | 'fileSha256'>) {
  return prisma.importBatch.findFirst({ where: { fileSha256: b.fileSha256, id: { not: b.id }, status: 'COMMITTED' }, select: { id: true, committedAt: true } });
}

function isUniqueViolation(error: unknown) {
  const e = error as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } }; message?: string };
  return e?.meta?.code === '23505' || e?.meta?.driverAdapterError?.cause?.originalCode === '23505'
    || e?.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation' || /23505|unique constraint/i.test(e?.message ?? '');
}

const LONG_TX = { timeout: 60 * 60_000, maxWait: 30_000 };
/** Sorts and hashes of a million staged rows in memory, not in temporary files (this transaction only). */
const BULK_WORK_MEM = `set local work_mem = '128MB'`;

/**
 * Confirms a staged batch: in one transaction its rows become import_row records and ledger entries.
 * Only the uploader or an admin may commit; the scope is checked again; a record committed by someone
 * else meanwhile makes the UNIQUE index refuse, and the batch is checked again to show which rows.
 */
export async function commitBatch(scope: BatchAccess, batchId: number, request?: Request, onProgress?: (p: Progress) => void) {
  const actor = importActor(scope);
  try {
    return await prisma.$transaction(async (tx) => {
      const [b] = await tx.$queryRaw<Array<{ status: string; createdById: number; rowCount: number; errorCount: number; fileError: string | null; pairingIds: number[]; totalFen: bigint; fileName: string }>>`
        select status::text as status, created_by_id as "createdById", row_count as "rowCount", error_count as "errorCount",
               file_error as "fileError", pairing_ids as "pairingIds", total_fen as "totalFen", file_name as "fileName"
        from import_batch where id = ${batchId} for update`;
      if (!b) throw new ImportError('batch.notFound');
      if (!scope.isAdmin && b.createdById !== scope.user.id) throw new ImportError('batch.forbidden');
      if (b.status !== 'STAGED') throw new ImportError('batch.notStaged');
      if (b.fileError || b.rowCount === 0) throw new ImportError('batch.empty');
      const [c] = await tx.$queryRaw<Array<{ n: number; bad: number }>>`
        select count(*)::int as n, count(*) filter (where cardinality(errors) + cardinality(check_errors) > 0)::int as bad
        from import_staging_row where batch_id = ${batchId}`;
      if (c!.n !== b.rowCount) throw new ImportError('batch.stagingLost');
      if (b.errorCount > 0 || c!.bad > 0) throw new ImportError('batch.hasErrors');
      onProgress?.({ phase: 'commit', bytes: 0, rows: 0 });
      await tx.$executeRawUnsafe(BULK_WORK_MEM);
      // The same pairing-level logic as platform sales (ledger_pairings_for), set-based: each distinct
      // (origin, day) is resolved once (pairingsOfDays, kept with statistics; a day without any pairing
      // as one row with pairing_id NULL), then hash-joined to the rows whatever the planner guesses about
      // the fresh rows. Record dates count at noon China time.
      await tx.$executeRawUnsafe(`create temp table import_commit_pairings (origin_code text, occurred_on date, pairing_id int, pairing_level "PairingLevel") on commit drop`);
      await tx.$executeRawUnsafe(
        `insert into import_commit_pairings
         with days as materialized (select distinct origin_code, occurred_on from import_staging_row where batch_id = $1)
         select d.origin_code, d.occurred_on, m.pairing_id, m.pairing_level
         from days d left join ${pairingsOfDays('select origin_code, occurred_on from days')} m
           on m.origin_code = d.origin_code and m.occurred_on = d.occurred_on`, batchId);
      if (actor.pairingIds) {
        // the scope again: every (origin, day) counts for at least one of the official's pairings
        const [out] = await tx.$queryRawUnsafe<Array<{ n: number }>>(
          `select count(*)::int as n from (
             select origin_code, occurred_on, bool_or(pairing_id = any($1::int[])) as ok from import_commit_pairings group by 1, 2) x
           where not coalesce(x.ok, false)`, actor.pairingIds);
        if (out!.n > 0) throw new ImportError('batch.scope');
      }
      await tx.$executeRawUnsafe('analyze import_commit_pairings');
      await tx.$executeRawUnsafe('set local enable_nestloop = off');
      // One statement: the import rows are inserted from staging and, as they are returned, joined to
      // their pairings into ledger entries (no second read of import_row).
      const [counts] = await tx.$queryRaw<Array<{ rows: number; entries: number }>>`
        with r as (
          insert into import_row (batch_id, row_no, occurred_on, buyer_name, buyer_type, buyer_place_code, seller_name, origin_code,
            description, statistics_kind, flow, quantity, amount_fen, channel, evidence_ref)
          select batch_id, row_no, occurred_on, buyer_name, buyer_type, buyer_place_code, seller_name, origin_code,
            description, statistics_kind, flow, quantity, amount_fen, channel, evidence_ref
          from import_staging_row where batch_id = ${batchId} order by row_no
          returning id, origin_code, occurred_on, amount_fen, quantity, seller_name, description, statistics_kind, flow, buyer_place_code),
        sellers as (
          select s.name, min(s.id) as id from seller s
          where s.name in (select distinct seller_name from import_staging_row where batch_id = ${batchId}) group by s.name),
        e as (
          insert into ledger_entry (source_type, source_id, pairing_id, pairing_level, amount_fen, quantity, product_id, seller_id,
            description, statistics_kind, flow, origin_code, buyer_organisation_id, buyer_place_code, occurred_at)
          select 'IMPORT_ROW', r.id::text, m.pairing_id, m.pairing_level, r.amount_fen, r.quantity, null, sl.id,
            r.description, r.statistics_kind, r.flow, r.origin_code, null, r.buyer_place_code,
            (r.occurred_on + time '12:00') at time zone 'Asia/Shanghai'
          from r
          join import_commit_pairings m on m.origin_code = r.origin_code and m.occurred_on = r.occurred_on and m.pairing_id is not null
          left join sellers sl on sl.name = r.seller_name
          returning 1)
        select (select count(*) from r)::int as rows, (select count(*) from e)::int as entries`;
      const inserted = counts!.rows;
      const entries = counts!.entries;
      onProgress?.({ phase: 'commit', bytes: 0, rows: inserted });
      await tx.$executeRaw`
        update import_batch set status = 'COMMITTED', committed_at = now(), committed_by_id = ${scope.user.id} where id = ${batchId}`;
      await tx.$executeRaw`delete from import_staging_row where batch_id = ${batchId}`;
      for (const pairingId of b.pairingIds) {
        await writeAudit(tx, {
          actorId: scope.user.id, action: 'import.commit', entityType: 'import_batch', entityId: batchId, pairingId,
          details: { fileName: b.fileName, rows: inserted, ledgerEntries: entries, totalFen: Number(b.totalFen) }, request,
        });
      }
      return { rows: inserted, entries };
    }, LONG_TX);
  } catch (error) {
    if (isUniqueViolation(error)) {
      // mark the rows that are duplicates now, so the preview shows them
      await checkStaged(batchId, actor.pairingIds);
      throw new ImportError('batch.duplicate');
    }
    throw error;
  }
}

/** Drops a staged batch: its staged rows go, the batch stays as DISCARDED (and audited). */
export async function discardBatch(scope: BatchAccess, batchId: number, request?: Request) {
  await prisma.$transaction(async (tx) => {
    const [b] = await tx.$queryRaw<Array<{ status: string; createdById: number; pairingIds: number[] }>>`
      select status::text as status, created_by_id as "createdById", pairing_ids as "pairingIds" from import_batch where id = ${batchId} for update`;
    if (!b) throw new ImportError('batch.notFound');
    if (!scope.isAdmin && b.createdById !== scope.user.id) throw new ImportError('batch.forbidden');
    if (b.status !== 'STAGED') throw new ImportError('batch.notStaged');
    await tx.$executeRaw`delete from import_staging_row where batch_id = ${batchId}`;
    await tx.$executeRaw`update import_batch set status = 'DISCARDED' where id = ${batchId}`;
    await writeAudit(tx, { actorId: scope.user.id, action: 'import.discard', entityType: 'import_batch', entityId: batchId, request });
  });
}

/**
 * Reverts a committed batch: IMPORT_REVERSAL entries take back every ledger entry of its rows (dated
 * like the originals: a revert corrects the record, so the period it was counted in goes back down).
 * Nothing is deleted. The rows stop being live, so a corrected file may be imported again.
 */
export async function revertBatch(scope: BatchAccess, batchId: number, reason: string, request?: Request) {
  const why = reason.trim().slice(0, 500);
  if (!why) throw new ImportError('batch.reasonMissing');
  return prisma.$transaction(async (tx) => {
    const [b] = await tx.$queryRaw<Array<{ status: string; createdById: number; pairingIds: number[]; fileName: string; totalFen: bigint }>>`
      select status::text as status, created_by_id as "createdById", pairing_ids as "pairingIds", file_name as "fileName", total_fen as "totalFen"
      from import_batch where id = ${batchId} for update`;
    if (!b) throw new ImportError('batch.notFound');
    if (!canRevertBatch(scope, b)) throw new ImportError('batch.forbidden');
    if (b.status !== 'COMMITTED') throw new ImportError('batch.notCommitted');
    // Fresh statistics first: right after a large commit the planner may still believe import_row and
    // ledger_entry are small and match the batch's rows to its entries by a nested loop over a sequential
    // scan (a revert of 100k rows ran for more than ten minutes that way; a hash join takes seconds).
    await tx.$executeRawUnsafe('analyze import_row, ledger_entry');
    const reversals = await reverseLedgerBulk(tx, {
      originalType: 'IMPORT_ROW', reversalType: 'IMPORT_REVERSAL', occurredAt: 'original',
      sourceIds: Prisma.sql`select id::text from import_row where batch_id = ${batchId}`,
    });
    const rows = await tx.$executeRaw`update import_row set live = null where batch_id = ${batchId} and live`;
    await tx.$executeRaw`
      update import_batch set status = 'REVERTED', reverted_at = now(), reverted_by_id = ${scope.user.id}, revert_reason = ${why} where id = ${batchId}`;
    for (const pairingId of b.pairingIds) {
      await writeAudit(tx, {
        actorId: scope.user.id, action: 'import.revert', entityType: 'import_batch', entityId: batchId, pairingId,
        details: { fileName: b.fileName, reason: why, rows, reversalEntries: reversals, totalFen: Number(b.totalFen) }, request,
      });
    }
    return { rows, reversals };
  }, LONG_TX);
}

/** The stored file of a batch, as a stream (the route checks the scope first). */
export function batchFile(b: Pick<Batch, 'fileKey'>) {
  return privateStorage().read(b.fileKey);
}

/** The page (1-based) of `listBatchRows` on which row `rowNo` of the file appears. */
export async function pageOfRow(b: Pick<Batch, 'id' | 'status'>, rowNo: number, perPage: number) {
  const table = b.status === 'STAGED' ? 'import_staging_row' : 'import_row';
  const [r] = await prisma.$queryRawUnsafe<Array<{ n: number }>>(`select count(*)::int as n from ${table} where batch_id = $1 and row_no < $2`, b.id, rowNo);
  return Math.floor(r!.n / perPage) + 1;
}

