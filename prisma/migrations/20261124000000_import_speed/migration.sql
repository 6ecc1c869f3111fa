-- Offline import speed (issue 5, ADR 0012).
--
-- 1. ledger_entry_reverses_id_idx becomes partial (reverses_id IS NOT NULL). Only refunds and import
--    reversals have a reverses_id; every lookup is `reverses_id = <id>`, which the partial index serves.
--    Originals (checkout lines, a million imported rows) no longer add an index entry each.
DROP INDEX "ledger_entry_reverses_id_idx";
CREATE INDEX "ledger_entry_reverses_id_idx" ON "ledger_entry"("reverses_id") WHERE "reverses_id" IS NOT NULL;

-- 2. The platform order number an imported row names (evidence reference or description), found while
--    the file is read (platformOrderIn, the same pattern as before) instead of a case-insensitive regular
--    expression over every staged row in SQL. The set-based check turns it into duplicate.platformOrder.
ALTER TABLE "import_staging_row" ADD COLUMN "platform_order" TEXT;

-- 3. The rollup trigger stays one statement-level aggregate per INSERT (transition table), now upserting
--    its keys in one fixed order: each rollup's keys sorted in primary key order (the monthly upsert is
--    the main statement and runs first, the daily one is the CTE, run after it). Two transactions that
--    touch overlapping keys (a checkout posting while an import commits or reverts) then lock the rollup
--    rows in the same order, so one waits for the other instead of deadlocking.
CREATE OR REPLACE FUNCTION ledger_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH delta AS (
    SELECT "pairing_id", ("occurred_at" AT TIME ZONE 'Asia/Shanghai')::date AS "day", "origin_code", "statistics_kind", "flow",
           sum("amount_fen") AS "amount_fen", sum("quantity") AS "quantity", count(*) AS "entries"
    FROM new_entries
    GROUP BY 1, 2, 3, 4, 5
  ), daily AS (
    INSERT INTO "ledger_daily" AS d ("pairing_id", "day", "origin_code", "statistics_kind", "flow", "amount_fen", "quantity", "entries")
    SELECT "pairing_id", "day", "origin_code", "statistics_kind", "flow", "amount_fen", "quantity", "entries" FROM delta
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("pairing_id", "day", "origin_code", "statistics_kind", "flow") DO UPDATE
      SET "amount_fen" = d."amount_fen" + EXCLUDED."amount_fen",
          "quantity" = d."quantity" + EXCLUDED."quantity",
          "entries" = d."entries" + EXCLUDED."entries"
  )
  INSERT INTO "ledger_monthly" AS m ("pairing_id", "month", "origin_code", "statistics_kind", "flow", "amount_fen", "quantity", "entries")
  SELECT "pairing_id", date_trunc('month', "day")::date, "origin_code", "statistics_kind", "flow", sum("amount_fen"), sum("quantity"), sum("entries")
  FROM delta
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("pairing_id", "month", "origin_code", "statistics_kind", "flow") DO UPDATE
    SET "amount_fen" = m."amount_fen" + EXCLUDED."amount_fen",
        "quantity" = m."quantity" + EXCLUDED."quantity",
        "entries" = m."entries" + EXCLUDED."entries";
  RETURN NULL;
END $$;

-- 4. The references of the bulk-written tables are checked once per statement instead of once per row.
--    A FOREIGN KEY checks every inserted row on its own (an index probe and a FOR KEY SHARE lock of the
--    parent, through a per-row trigger): 2.75 million checks for an import of a million rows, a third of
--    its commit. The same rules as statement-level triggers over the transition table:
--    - inserting: every distinct parent id the statement references must exist; it is locked
--      FOR KEY SHARE, exactly as the foreign key locks it, so a concurrent DELETE of it waits for us and
--      then sees our rows (below), and we fail if it deleted the parent first (SQLSTATE 23503, as before);
--    - the parent side: deleting a referenced pairing or import batch, or changing its id, is refused
--      (ON DELETE RESTRICT as before; the old ON UPDATE CASCADE could never succeed, since ledger
--      entries and committed import rows cannot be updated). ledger_entry.reverses_id points into the
--      append-only ledger itself, whose rows are never deleted or updated.
ALTER TABLE "ledger_entry" DROP CONSTRAINT "ledger_entry_pairing_id_fkey";
ALTER TABLE "ledger_entry" DROP CONSTRAINT "ledger_entry_reverses_id_fkey";
ALTER TABLE "import_row" DROP CONSTRAINT "import_row_batch_id_fkey";

-- The inserting side. Arguments: the referenced table (its key is "id"), the referring column, the
-- constraint name to report, what a referenced row is called, and whether to lock it FOR KEY SHARE
-- (not needed for reverses_id: ledger entries are never deleted or updated). NULLs refer to nothing.
CREATE FUNCTION check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing TEXT;
BEGIN
  EXECUTE format(
    'WITH wanted AS (SELECT DISTINCT %2$I AS id FROM new_rows WHERE %2$I IS NOT NULL),
     found AS (SELECT p."id" FROM %1$I p WHERE p."id" IN (SELECT id FROM wanted) ORDER BY p."id" %3$s)
     SELECT string_agg(w.id::text, '', '') FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.id = w.id)',
    TG_ARGV[0], TG_ARGV[1], CASE WHEN TG_ARGV[4]::boolean THEN 'FOR KEY SHARE' ELSE '' END) INTO missing;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'insert on %: % % does not exist', TG_TABLE_NAME, TG_ARGV[3], missing
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[2];
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_entry_pairing_ref AFTER INSERT ON "ledger_entry" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION check_references('pairing', 'pairing_id', 'ledger_entry_pairing_id_fkey', 'pairing', 'true');
CREATE TRIGGER ledger_entry_reverses_ref AFTER INSERT ON "ledger_entry" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION check_references('ledger_entry', 'reverses_id', 'ledger_entry_reverses_id_fkey', 'reversed entry', 'false');
CREATE TRIGGER import_row_batch_ref AFTER INSERT ON "import_row" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION check_references('import_batch', 'batch_id', 'import_row_batch_id_fkey', 'import batch', 'true');

-- The parent side (row-level: pairings and batches are few and rarely written). Arguments: the referring
-- table, its column, the constraint name to report, and what the refusal says.
CREATE FUNCTION refuse_if_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  referenced BOOLEAN;
BEGIN
  IF TG_OP = 'DELETE' OR NEW."id" <> OLD."id" THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[0], TG_ARGV[1]) INTO referenced USING OLD."id";
    IF referenced THEN
      RAISE EXCEPTION '% on % % refused: %', TG_OP, TG_TABLE_NAME, OLD."id", TG_ARGV[3]
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[2];
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER pairing_ledger_restrict BEFORE DELETE OR UPDATE OF "id" ON "pairing" FOR EACH ROW
  EXECUTE FUNCTION refuse_if_referenced('ledger_entry', 'pairing_id', 'ledger_entry_pairing_id_fkey', 'ledger entries count for it');
CREATE TRIGGER import_batch_rows_restrict BEFORE DELETE OR UPDATE OF "id" ON "import_batch" FOR EACH ROW
  EXECUTE FUNCTION refuse_if_referenced('import_row', 'batch_id', 'import_row_batch_id_fkey', 'import rows belong to it');
