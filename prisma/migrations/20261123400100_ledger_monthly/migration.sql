-- A monthly rollup beside the daily one, kept by the same statement trigger in the same transaction.
-- A pairing-year total then reads at most 12 months × counties × kinds × flows rows (the daily rollup
-- only covers the partial months at the edges of a date range).

CREATE TABLE "ledger_monthly" (
    "pairing_id" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "origin_code" VARCHAR(12) NOT NULL,
    "statistics_kind" "StatisticsKind" NOT NULL,
    "flow" "Flow" NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "entries" INTEGER NOT NULL,
    CONSTRAINT "ledger_monthly_pkey" PRIMARY KEY ("pairing_id", "month", "origin_code", "statistics_kind", "flow"),
    CONSTRAINT "ledger_monthly_first_day" CHECK (extract(day from "month") = 1)
);

INSERT INTO "ledger_monthly" ("pairing_id", "month", "origin_code", "statistics_kind", "flow", "amount_fen", "quantity", "entries")
SELECT "pairing_id", date_trunc('month', "day")::date, "origin_code", "statistics_kind", "flow", sum("amount_fen"), sum("quantity"), sum("entries")
FROM "ledger_daily"
GROUP BY 1, 2, 3, 4, 5;

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
    ON CONFLICT ("pairing_id", "day", "origin_code", "statistics_kind", "flow") DO UPDATE
      SET "amount_fen" = d."amount_fen" + EXCLUDED."amount_fen",
          "quantity" = d."quantity" + EXCLUDED."quantity",
          "entries" = d."entries" + EXCLUDED."entries"
  )
  INSERT INTO "ledger_monthly" AS m ("pairing_id", "month", "origin_code", "statistics_kind", "flow", "amount_fen", "quantity", "entries")
  SELECT "pairing_id", date_trunc('month', "day")::date, "origin_code", "statistics_kind", "flow", sum("amount_fen"), sum("quantity"), sum("entries")
  FROM delta
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT ("pairing_id", "month", "origin_code", "statistics_kind", "flow") DO UPDATE
    SET "amount_fen" = m."amount_fen" + EXCLUDED."amount_fen",
        "quantity" = m."quantity" + EXCLUDED."quantity",
        "entries" = m."entries" + EXCLUDED."entries";
  RETURN NULL;
END $$;
