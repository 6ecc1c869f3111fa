-- Officials' console: offline procurement imports (batches, committed rows, an UNLOGGED staging table),
-- yearly pairing targets, the publication switch of the public impact pages, and their permissions.

CREATE TYPE "ImportStatus" AS ENUM ('STAGED', 'COMMITTED', 'REVERTED', 'DISCARDED');
CREATE TYPE "BuyerType" AS ENUM ('UNION', 'BUDGET_UNIT', 'ENTERPRISE', 'SOCIAL_ORG', 'INDIVIDUAL', 'OTHER');

CREATE TABLE "import_batch" (
    "id" SERIAL NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'STAGED',
    "file_name" TEXT NOT NULL,
    "file_key" TEXT NOT NULL,
    "file_sha256" CHAR(64) NOT NULL,
    "file_bytes" BIGINT NOT NULL,
    "format" TEXT NOT NULL,
    "encoding" TEXT NOT NULL,
    "row_count" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "total_fen" BIGINT NOT NULL DEFAULT 0,
    "pairing_ids" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
    "file_error" TEXT,
    "created_by_id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "committed_by_id" INTEGER,
    "committed_at" TIMESTAMPTZ(3),
    "reverted_by_id" INTEGER,
    "reverted_at" TIMESTAMPTZ(3),
    "revert_reason" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "import_batch_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "import_batch_format" CHECK ("format" IN ('csv', 'xlsx')),
    CONSTRAINT "import_batch_committed" CHECK ("status" NOT IN ('COMMITTED', 'REVERTED') OR ("committed_at" IS NOT NULL AND "error_count" = 0)),
    CONSTRAINT "import_batch_reverted" CHECK ("status" <> 'REVERTED' OR "reverted_at" IS NOT NULL)
);
CREATE INDEX "import_batch_created_by_id_created_at_idx" ON "import_batch"("created_by_id", "created_at");
CREATE INDEX "import_batch_file_sha256_idx" ON "import_batch"("file_sha256");

CREATE TABLE "import_row" (
    "id" BIGSERIAL NOT NULL,
    "batch_id" INTEGER NOT NULL,
    "row_no" INTEGER NOT NULL,
    "occurred_on" DATE NOT NULL,
    "buyer_name" TEXT NOT NULL,
    "buyer_type" "BuyerType" NOT NULL,
    "buyer_place_code" VARCHAR(12) NOT NULL,
    "seller_name" TEXT NOT NULL,
    "origin_code" VARCHAR(12) NOT NULL,
    "description" TEXT NOT NULL,
    "statistics_kind" "StatisticsKind" NOT NULL,
    "flow" "Flow" NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "channel" TEXT NOT NULL,
    "evidence_ref" TEXT NOT NULL,
    "live" BOOLEAN DEFAULT true,
    CONSTRAINT "import_row_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "import_row_amount" CHECK ("amount_fen" > 0 AND "quantity" >= 0),
    -- true while it counts, NULL once reverted (never false: NULL is what frees the UNIQUE key)
    CONSTRAINT "import_row_live" CHECK ("live" IS NULL OR "live")
);
-- The duplicate rule: the same evidence reference, seller, date and amount count once (while live).
CREATE UNIQUE INDEX "import_row_evidence_ref_seller_name_occurred_on_amount_fen_live_key" ON "import_row"("evidence_ref", "seller_name", "occurred_on", "amount_fen", "live");
CREATE UNIQUE INDEX "import_row_batch_id_row_no_key" ON "import_row"("batch_id", "row_no");
ALTER TABLE "import_row" ADD CONSTRAINT "import_row_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Staging: written by COPY, checked set-based, emptied at commit/discard. UNLOGGED (no WAL): after a
-- crash it is empty, and a staged batch whose rows are gone must be uploaded again (commit checks).
CREATE UNLOGGED TABLE "import_staging_row" (
    "batch_id" INTEGER NOT NULL,
    "row_no" INTEGER NOT NULL,
    "occurred_on" DATE,
    "buyer_name" TEXT NOT NULL,
    "buyer_type" "BuyerType",
    "buyer_place_code" TEXT NOT NULL,
    "seller_name" TEXT NOT NULL,
    "origin_code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "statistics_kind" "StatisticsKind",
    "flow" "Flow",
    "quantity" INTEGER,
    "amount_fen" BIGINT,
    "channel" TEXT NOT NULL,
    "evidence_ref" TEXT NOT NULL,
    "errors" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "check_errors" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    CONSTRAINT "import_staging_row_pkey" PRIMARY KEY ("batch_id", "row_no")
);

CREATE TABLE "pairing_target" (
    "pairing_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "target_fen" BIGINT NOT NULL,
    "updated_by_id" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pairing_target_pkey" PRIMARY KEY ("pairing_id", "year"),
    CONSTRAINT "pairing_target_positive" CHECK ("target_fen" > 0 AND "year" BETWEEN 2000 AND 2100)
);
ALTER TABLE "pairing_target" ADD CONSTRAINT "pairing_target_pairing_id_fkey" FOREIGN KEY ("pairing_id") REFERENCES "pairing"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "impact_publication" (
    "pairing_id" INTEGER NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "updated_by_id" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "impact_publication_pkey" PRIMARY KEY ("pairing_id")
);
ALTER TABLE "impact_publication" ADD CONSTRAINT "impact_publication_pairing_id_fkey" FOREIGN KEY ("pairing_id") REFERENCES "pairing"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Publishing an impact page; officials read the audit log of their own pairings.
INSERT INTO "permission" ("action", "entity", "access") VALUES
  ('publish', 'impact', 'own'), ('publish', 'impact', 'any'), ('read', 'audit', 'own');
INSERT INTO "role_permission" ("role_id", "permission_id")
SELECT r."id", p."id" FROM "role" r JOIN "permission" p ON (
  (r."name" = 'official' AND ((p."action" = 'publish' AND p."entity" = 'impact' AND p."access" = 'own') OR (p."action" = 'read' AND p."entity" = 'audit' AND p."access" = 'own')))
  OR (r."name" = 'admin' AND ((p."action" = 'publish' AND p."entity" = 'impact') OR (p."action" = 'read' AND p."entity" = 'audit' AND p."access" = 'own')))
)
ON CONFLICT DO NOTHING;
