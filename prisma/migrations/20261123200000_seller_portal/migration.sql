-- Seller portal: onboarding, staff invitations, certificates and reviews, stock adjustments,
-- notifications, production batches (traceability), fair-price reference prices.

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');
CREATE TYPE "CertificateStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'SUPERSEDED');
CREATE TYPE "ReviewSubject" AS ENUM ('LISTING', 'CERTIFICATE');
CREATE TYPE "ReviewDecision" AS ENUM ('APPROVED', 'REJECTED');
CREATE TYPE "StockReason" AS ENUM ('INITIAL', 'RESTOCK', 'CORRECTION', 'DAMAGE', 'OFFLINE_SALE', 'RETURN', 'OTHER');
CREATE TYPE "NotificationKind" AS ENUM ('CERTIFICATE_EXPIRED', 'CERTIFICATE_APPROVED', 'CERTIFICATE_REJECTED', 'LISTING_APPROVED', 'LISTING_REJECTED', 'SELLER_APPROVED', 'SELLER_REJECTED', 'STAFF_JOINED');
CREATE TYPE "BatchDateKind" AS ENUM ('HARVESTED', 'PRODUCED');

-- AlterTable (additive)
ALTER TABLE "product" ADD COLUMN "reference_price_source" TEXT NOT NULL DEFAULT '';
ALTER TABLE "product" ADD COLUMN "submitted_at" TIMESTAMPTZ(3);
ALTER TABLE "variant" ADD COLUMN "reference_price_fen" INTEGER;
ALTER TABLE "variant" ADD CONSTRAINT "variant_reference_price_positive" CHECK ("reference_price_fen" IS NULL OR "reference_price_fen" > 0);

-- CreateTable
CREATE TABLE "seller_application" (
    "id" SERIAL NOT NULL,
    "applicant_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL DEFAULT '',
    "kind" "SellerKind" NOT NULL,
    "credit_code" CHAR(18) NOT NULL,
    "county_code" VARCHAR(12) NOT NULL,
    "contact_name" TEXT NOT NULL,
    "contact_phone" TEXT NOT NULL,
    "description_zh" TEXT NOT NULL DEFAULT '',
    "licence_key" TEXT NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'PENDING',
    "rejection_reason" TEXT,
    "reviewed_by_id" INTEGER,
    "reviewed_at" TIMESTAMPTZ(3),
    "seller_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "seller_application_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "seller_application_rejection_reason" CHECK ("status" <> 'REJECTED' OR length(trim("rejection_reason")) > 0)
);

CREATE TABLE "seller_invitation" (
    "id" SERIAL NOT NULL,
    "seller_id" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_id" INTEGER,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" INTEGER,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "seller_invitation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "seller_invitation_email_lower" CHECK ("email" = lower("email"))
);

CREATE TABLE "product_certificate" (
    "id" SERIAL NOT NULL,
    "product_id" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "valid_until" DATE NOT NULL,
    "image_key" TEXT,
    "status" "CertificateStatus" NOT NULL DEFAULT 'PENDING',
    "rejection_reason" TEXT,
    "submitted_by_id" INTEGER,
    "reviewed_by_id" INTEGER,
    "reviewed_at" TIMESTAMPTZ(3),
    "expiry_notified_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "product_certificate_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "product_review" (
    "id" SERIAL NOT NULL,
    "product_id" INTEGER NOT NULL,
    "certificate_id" INTEGER,
    "subject" "ReviewSubject" NOT NULL,
    "decision" "ReviewDecision" NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "reviewer_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "product_review_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "product_review_rejection_reason" CHECK ("decision" <> 'REJECTED' OR length(trim("reason")) > 0)
);

CREATE TABLE "stock_adjustment" (
    "id" SERIAL NOT NULL,
    "variant_id" INTEGER NOT NULL,
    "delta" INTEGER NOT NULL,
    "stock_after" INTEGER NOT NULL,
    "reason" "StockReason" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "user_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_adjustment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "stock_adjustment_stock_after_nonnegative" CHECK ("stock_after" >= 0)
);

CREATE TABLE "notification" (
    "id" SERIAL NOT NULL,
    "seller_id" INTEGER,
    "user_id" INTEGER,
    "kind" "NotificationKind" NOT NULL,
    "product_id" INTEGER,
    "certificate_id" INTEGER,
    "title_zh" TEXT NOT NULL,
    "title_en" TEXT NOT NULL,
    "body_zh" TEXT NOT NULL DEFAULT '',
    "body_en" TEXT NOT NULL DEFAULT '',
    "link" TEXT NOT NULL DEFAULT '',
    "dedupe_key" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_recipient" CHECK ("seller_id" IS NOT NULL OR "user_id" IS NOT NULL)
);

CREATE TABLE "production_batch" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "product_id" INTEGER NOT NULL,
    "date_kind" "BatchDateKind" NOT NULL,
    "produced_on" DATE NOT NULL,
    "base_name" TEXT NOT NULL,
    "quantity" TEXT NOT NULL DEFAULT '',
    "inspection_report_no" TEXT NOT NULL DEFAULT '',
    "inspection_agency" TEXT NOT NULL DEFAULT '',
    "inspection_image_key" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "production_batch_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "production_batch_code_format" CHECK ("code" ~ '^[a-z0-9]{6,32}$')
);

-- CreateIndex
CREATE UNIQUE INDEX "seller_application_seller_id_key" ON "seller_application"("seller_id");
CREATE INDEX "seller_application_status_created_at_idx" ON "seller_application"("status", "created_at");
CREATE INDEX "seller_application_applicant_id_idx" ON "seller_application"("applicant_id");
CREATE INDEX "seller_application_county_code_idx" ON "seller_application"("county_code");
-- Not in the Prisma schema (partial): one pending application per credit code.
CREATE UNIQUE INDEX "seller_application_pending_credit_code_key" ON "seller_application"("credit_code") WHERE "status" = 'PENDING';
CREATE UNIQUE INDEX "seller_invitation_token_hash_key" ON "seller_invitation"("token_hash");
CREATE INDEX "seller_invitation_seller_id_idx" ON "seller_invitation"("seller_id");
CREATE INDEX "product_certificate_product_id_status_idx" ON "product_certificate"("product_id", "status");
CREATE INDEX "product_certificate_status_valid_until_idx" ON "product_certificate"("status", "valid_until");
-- Not in the Prisma schema (partial): at most one pending and one approved certificate per product.
CREATE UNIQUE INDEX "product_certificate_one_pending_key" ON "product_certificate"("product_id") WHERE "status" = 'PENDING';
CREATE UNIQUE INDEX "product_certificate_one_approved_key" ON "product_certificate"("product_id") WHERE "status" = 'APPROVED';
CREATE INDEX "product_review_product_id_created_at_idx" ON "product_review"("product_id", "created_at");
CREATE INDEX "product_review_certificate_id_idx" ON "product_review"("certificate_id");
CREATE INDEX "stock_adjustment_variant_id_created_at_idx" ON "stock_adjustment"("variant_id", "created_at");
CREATE UNIQUE INDEX "notification_dedupe_key_key" ON "notification"("dedupe_key");
CREATE INDEX "notification_seller_id_created_at_idx" ON "notification"("seller_id", "created_at");
CREATE INDEX "notification_user_id_created_at_idx" ON "notification"("user_id", "created_at");
CREATE INDEX "notification_product_id_idx" ON "notification"("product_id");
CREATE INDEX "notification_certificate_id_idx" ON "notification"("certificate_id");
CREATE UNIQUE INDEX "production_batch_code_key" ON "production_batch"("code");
CREATE INDEX "production_batch_product_id_produced_on_idx" ON "production_batch"("product_id", "produced_on");

-- AddForeignKey
ALTER TABLE "seller_application" ADD CONSTRAINT "seller_application_applicant_id_fkey" FOREIGN KEY ("applicant_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "seller_application" ADD CONSTRAINT "seller_application_county_code_fkey" FOREIGN KEY ("county_code") REFERENCES "place"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "seller_application" ADD CONSTRAINT "seller_application_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "seller_application" ADD CONSTRAINT "seller_application_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "seller"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "seller_invitation" ADD CONSTRAINT "seller_invitation_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "seller"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "seller_invitation" ADD CONSTRAINT "seller_invitation_invited_by_id_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "seller_invitation" ADD CONSTRAINT "seller_invitation_accepted_by_id_fkey" FOREIGN KEY ("accepted_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "product_certificate" ADD CONSTRAINT "product_certificate_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "product_certificate" ADD CONSTRAINT "product_certificate_submitted_by_id_fkey" FOREIGN KEY ("submitted_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "product_certificate" ADD CONSTRAINT "product_certificate_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "product_review" ADD CONSTRAINT "product_review_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "product_review" ADD CONSTRAINT "product_review_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "product_certificate"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "product_review" ADD CONSTRAINT "product_review_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "stock_adjustment" ADD CONSTRAINT "stock_adjustment_variant_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "variant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "stock_adjustment" ADD CONSTRAINT "stock_adjustment_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "notification" ADD CONSTRAINT "notification_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "seller"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification" ADD CONSTRAINT "notification_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification" ADD CONSTRAINT "notification_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification" ADD CONSTRAINT "notification_certificate_id_fkey" FOREIGN KEY ("certificate_id") REFERENCES "product_certificate"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "production_batch" ADD CONSTRAINT "production_batch_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "production_batch" ADD CONSTRAINT "production_batch_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Certificates already on products become their APPROVED certificate rows (empty on a fresh database:
-- the demo seed creates them through createProduct).
INSERT INTO "product_certificate" ("product_id", "number", "issuer", "valid_until", "status", "reviewed_at")
SELECT "id", "certificate_no", coalesce("certificate_issuer", ''), "certified_until", 'APPROVED', "created_at"
FROM "product" WHERE "certificate_no" IS NOT NULL AND "certified_until" IS NOT NULL;

-- Officials may review listings of their pairing's western side (the module checks the scope and side).
INSERT INTO "permission" ("action", "entity", "access") VALUES ('review', 'product', 'own');
INSERT INTO "role_permission" ("role_id", "permission_id")
SELECT r."id", p."id" FROM "role" r JOIN "permission" p ON p."action" = 'review' AND p."entity" = 'product' AND p."access" = 'own'
WHERE r."name" IN ('official', 'admin');
