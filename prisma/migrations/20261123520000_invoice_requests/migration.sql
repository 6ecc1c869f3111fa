-- Invoice requests on paid organisation orders (issue 7): one per order, details copied at request time,
-- issued by finance with an invoice number and date.

-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('REQUESTED', 'ISSUED');

-- CreateTable
CREATE TABLE "invoice_request" (
    "id" SERIAL NOT NULL,
    "order_id" INTEGER NOT NULL,
    "organisation_id" INTEGER NOT NULL,
    "requested_by_id" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "tax_number" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL DEFAULT '',
    "bank" TEXT NOT NULL DEFAULT '',
    "bank_account" TEXT NOT NULL DEFAULT '',
    "amount_fen" INTEGER NOT NULL,
    "status" "InvoiceStatus" NOT NULL DEFAULT 'REQUESTED',
    "invoice_number" TEXT,
    "issued_on" DATE,
    "issued_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invoice_request_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invoice_request_title_present" CHECK (length(trim("title")) > 0 AND length(trim("tax_number")) > 0),
    CONSTRAINT "invoice_request_amount_positive" CHECK ("amount_fen" > 0),
    CONSTRAINT "invoice_request_issued_complete" CHECK (("status" = 'ISSUED') = ("invoice_number" IS NOT NULL AND "issued_on" IS NOT NULL AND "issued_by_id" IS NOT NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "invoice_request_order_id_key" ON "invoice_request"("order_id");
CREATE UNIQUE INDEX "invoice_request_invoice_number_key" ON "invoice_request"("invoice_number");
CREATE INDEX "invoice_request_status_created_at_idx" ON "invoice_request"("status", "created_at");
CREATE INDEX "invoice_request_organisation_id_idx" ON "invoice_request"("organisation_id");

-- AddForeignKey
ALTER TABLE "invoice_request" ADD CONSTRAINT "invoice_request_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoice_request" ADD CONSTRAINT "invoice_request_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoice_request" ADD CONSTRAINT "invoice_request_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "invoice_request" ADD CONSTRAINT "invoice_request_issued_by_id_fkey" FOREIGN KEY ("issued_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Finance (and admin) issue invoices.
INSERT INTO "permission" ("action", "entity", "access") VALUES ('issue', 'invoice', 'any');
INSERT INTO "role_permission" ("role_id", "permission_id")
SELECT r."id", p."id" FROM "role" r JOIN "permission" p ON p."action" = 'issue' AND p."entity" = 'invoice' AND p."access" = 'any'
WHERE r."name" IN ('finance', 'admin');
