-- Organisation buyers (issue 7): invoice details and approval threshold on organisations, approvers,
-- member invitations, the yearly reserved share of budget units, union member allowances.

-- CreateEnum
CREATE TYPE "AllowanceMovementKind" AS ENUM ('GRANT', 'SPEND', 'REFUND', 'EXPIRY_RETURN');

-- AlterTable (additive)
ALTER TABLE "organisation" ADD COLUMN "invoice_address" TEXT NOT NULL DEFAULT '';
ALTER TABLE "organisation" ADD COLUMN "invoice_phone" TEXT NOT NULL DEFAULT '';
ALTER TABLE "organisation" ADD COLUMN "invoice_bank" TEXT NOT NULL DEFAULT '';
ALTER TABLE "organisation" ADD COLUMN "invoice_bank_account" TEXT NOT NULL DEFAULT '';
ALTER TABLE "organisation" ADD COLUMN "approval_threshold_fen" BIGINT;
ALTER TABLE "organisation" ADD CONSTRAINT "organisation_approval_threshold_positive" CHECK ("approval_threshold_fen" IS NULL OR "approval_threshold_fen" > 0);
ALTER TABLE "membership" ADD COLUMN "is_approver" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "organisation_invitation" (
    "id" SERIAL NOT NULL,
    "organisation_id" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "role" "MemberRole" NOT NULL DEFAULT 'MEMBER',
    "token_hash" TEXT NOT NULL,
    "invited_by_id" INTEGER,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" INTEGER,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "organisation_invitation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "organisation_invitation_email_lower" CHECK ("email" = lower("email")),
    CONSTRAINT "organisation_invitation_role" CHECK ("role" IN ('MEMBER', 'BUYER'))
);

CREATE TABLE "reserved_share" (
    "organisation_id" INTEGER NOT NULL,
    "year" INTEGER NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "updated_by_id" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "reserved_share_pkey" PRIMARY KEY ("organisation_id","year"),
    CONSTRAINT "reserved_share_amount_positive" CHECK ("amount_fen" > 0),
    CONSTRAINT "reserved_share_year_range" CHECK ("year" BETWEEN 2000 AND 2100)
);

CREATE TABLE "allowance_grant" (
    "id" SERIAL NOT NULL,
    "organisation_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "balance_fen" BIGINT NOT NULL,
    "valid_until" DATE NOT NULL,
    "granted_by_id" INTEGER NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "allowance_grant_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "allowance_grant_amount_positive" CHECK ("amount_fen" > 0),
    CONSTRAINT "allowance_grant_balance_nonnegative" CHECK ("balance_fen" >= 0),
    CONSTRAINT "allowance_grant_balance_within_amount" CHECK ("balance_fen" <= "amount_fen")
);

CREATE TABLE "allowance_movement" (
    "id" BIGSERIAL NOT NULL,
    "grant_id" INTEGER NOT NULL,
    "organisation_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "kind" "AllowanceMovementKind" NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "balance_after_fen" BIGINT NOT NULL,
    "order_id" INTEGER,
    "actor_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "allowance_movement_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "allowance_movement_balance_nonnegative" CHECK ("balance_after_fen" >= 0),
    CONSTRAINT "allowance_movement_sign" CHECK (
      ("kind" IN ('GRANT', 'REFUND') AND "amount_fen" > 0) OR ("kind" IN ('SPEND', 'EXPIRY_RETURN') AND "amount_fen" < 0)),
    CONSTRAINT "allowance_movement_order" CHECK ("kind" NOT IN ('SPEND', 'REFUND') OR "order_id" IS NOT NULL)
);

-- CreateIndex
CREATE UNIQUE INDEX "organisation_invitation_token_hash_key" ON "organisation_invitation"("token_hash");
CREATE INDEX "organisation_invitation_organisation_id_idx" ON "organisation_invitation"("organisation_id");
CREATE INDEX "allowance_grant_organisation_id_user_id_idx" ON "allowance_grant"("organisation_id", "user_id");
CREATE INDEX "allowance_grant_valid_until_idx" ON "allowance_grant"("valid_until");
CREATE INDEX "allowance_movement_grant_id_idx" ON "allowance_movement"("grant_id");
CREATE INDEX "allowance_movement_organisation_id_kind_idx" ON "allowance_movement"("organisation_id", "kind");
CREATE INDEX "allowance_movement_order_id_idx" ON "allowance_movement"("order_id");
-- one spend (and one refund) per order and grant: a retried checkout cannot spend twice
CREATE UNIQUE INDEX "allowance_movement_order_id_grant_id_kind_key" ON "allowance_movement"("order_id", "grant_id", "kind");

-- AddForeignKey
ALTER TABLE "organisation_invitation" ADD CONSTRAINT "organisation_invitation_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "organisation_invitation" ADD CONSTRAINT "organisation_invitation_invited_by_id_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "organisation_invitation" ADD CONSTRAINT "organisation_invitation_accepted_by_id_fkey" FOREIGN KEY ("accepted_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "reserved_share" ADD CONSTRAINT "reserved_share_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "allowance_grant" ADD CONSTRAINT "allowance_grant_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "allowance_grant" ADD CONSTRAINT "allowance_grant_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "allowance_grant" ADD CONSTRAINT "allowance_grant_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "allowance_movement" ADD CONSTRAINT "allowance_movement_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "allowance_grant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "allowance_movement" ADD CONSTRAINT "allowance_movement_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- allowance_movement is append-only
CREATE FUNCTION allowance_movement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'allowance_movement is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER allowance_movement_no_change BEFORE UPDATE OR DELETE ON allowance_movement
  FOR EACH ROW EXECUTE FUNCTION allowance_movement_append_only();

