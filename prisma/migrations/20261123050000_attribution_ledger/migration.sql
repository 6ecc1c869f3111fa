-- The attribution ledger: every paid sale (and every imported offline record) counts for the pairings
-- of its origin, once per pairing level; refunds and reverts are negative entries.

CREATE TYPE "Flow" AS ENUM ('PROCUREMENT', 'HELPED_SALES');
CREATE TYPE "PairingLevel" AS ENUM ('TOP', 'GROUP');
CREATE TYPE "LedgerSourceType" AS ENUM ('ORDER_LINE', 'REFUND_LINE', 'IMPORT_ROW', 'IMPORT_REVERSAL');

CREATE TABLE "ledger_entry" (
    "id" BIGSERIAL NOT NULL,
    "source_type" "LedgerSourceType" NOT NULL,
    "source_id" TEXT NOT NULL,
    "pairing_id" INTEGER NOT NULL,
    "pairing_level" "PairingLevel" NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "product_id" INTEGER,
    "seller_id" INTEGER,
    "description" TEXT NOT NULL,
    "statistics_kind" "StatisticsKind" NOT NULL,
    "flow" "Flow" NOT NULL,
    "origin_code" VARCHAR(12) NOT NULL,
    "buyer_organisation_id" INTEGER,
    "buyer_place_code" VARCHAR(12),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "reverses_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ledger_entry_sign" CHECK (
      ("source_type" IN ('ORDER_LINE', 'IMPORT_ROW') AND "amount_fen" >= 0 AND "reverses_id" IS NULL)
      OR ("source_type" IN ('REFUND_LINE', 'IMPORT_REVERSAL') AND "amount_fen" <= 0 AND "reverses_id" IS NOT NULL))
);

CREATE UNIQUE INDEX "ledger_entry_source_type_source_id_pairing_level_key" ON "ledger_entry"("source_type", "source_id", "pairing_level");
CREATE INDEX "ledger_entry_pairing_id_occurred_at_idx" ON "ledger_entry"("pairing_id", "occurred_at");
CREATE INDEX "ledger_entry_reverses_id_idx" ON "ledger_entry"("reverses_id");

ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_pairing_id_fkey" FOREIGN KEY ("pairing_id") REFERENCES "pairing"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_reverses_id_fkey" FOREIGN KEY ("reverses_id") REFERENCES "ledger_entry"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "ledger_daily" (
    "pairing_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "origin_code" VARCHAR(12) NOT NULL,
    "statistics_kind" "StatisticsKind" NOT NULL,
    "flow" "Flow" NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "entries" INTEGER NOT NULL,
    CONSTRAINT "ledger_daily_pkey" PRIMARY KEY ("pairing_id", "day", "origin_code", "statistics_kind", "flow")
);

-- Append-only: no UPDATE, DELETE or TRUNCATE of ledger entries, ever.
CREATE FUNCTION ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entry is append-only: % refused (write a reversal entry instead)', TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE OR DELETE ON "ledger_entry" FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON "ledger_entry" FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_append_only();

-- The rollup follows the entries in the same transaction (one aggregate per statement, so a bulk
-- insert of a million entries updates the rollup once per key, not once per row).
CREATE FUNCTION ledger_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ledger_daily" AS d ("pairing_id", "day", "origin_code", "statistics_kind", "flow", "amount_fen", "quantity", "entries")
  SELECT "pairing_id", ("occurred_at" AT TIME ZONE 'Asia/Shanghai')::date, "origin_code", "statistics_kind", "flow",
         sum("amount_fen"), sum("quantity"), count(*)
  FROM new_entries
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT ("pairing_id", "day", "origin_code", "statistics_kind", "flow") DO UPDATE
    SET "amount_fen" = d."amount_fen" + EXCLUDED."amount_fen",
        "quantity" = d."quantity" + EXCLUDED."quantity",
        "entries" = d."entries" + EXCLUDED."entries";
  RETURN NULL;
END $$;
CREATE TRIGGER ledger_entry_rollup AFTER INSERT ON "ledger_entry" REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_daily_apply();

-- Which pairings a sale from `origin` counts for on `on_day`: every pairing whose western place is the
-- origin or one of its ancestors, valid that day. Used by platform sales and imports alike.
CREATE FUNCTION ledger_pairings_for(origin VARCHAR, on_day DATE)
RETURNS TABLE (pairing_id INTEGER, pairing_level "PairingLevel") LANGUAGE sql STABLE AS $$
  WITH RECURSIVE up AS (
    SELECT code, parent_code FROM place WHERE code = origin
    UNION ALL SELECT p.code, p.parent_code FROM place p JOIN up ON p.code = up.parent_code
  )
  SELECT pr.id, (CASE WHEN pr.parent_id IS NULL THEN 'TOP' ELSE 'GROUP' END)::"PairingLevel"
  FROM pairing pr JOIN up ON up.code = pr.west_place_code
  WHERE pr.valid_from <= on_day AND (pr.valid_to IS NULL OR pr.valid_to >= on_day)
$$;
