-- Cart, checkout, orders, fulfilments, payments (bank transfer, Stripe), refunds and the order timeline.

-- CreateEnum
CREATE TYPE "OrderState" AS ENUM ('AWAITING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'EXPIRED', 'PARTLY_REFUNDED', 'REFUNDED');
CREATE TYPE "PaymentProviderKind" AS ENUM ('BANK_TRANSFER', 'STRIPE');
CREATE TYPE "FulfilmentState" AS ENUM ('AWAITING_PAYMENT', 'TO_SHIP', 'SHIPPED', 'DELIVERED', 'CANCELLED');
CREATE TYPE "PaymentState" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'FLAGGED', 'RETURNED');
CREATE TYPE "RefundState" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "cart" (
    "id" TEXT NOT NULL,
    "user_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cart_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "cart_line" (
    "cart_id" TEXT NOT NULL,
    "variant_id" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cart_line_pkey" PRIMARY KEY ("cart_id", "variant_id"),
    CONSTRAINT "cart_line_quantity_positive" CHECK ("quantity" > 0 AND "quantity" <= 9999)
);

CREATE TABLE "order" (
    "id" SERIAL NOT NULL,
    "buyer_id" INTEGER NOT NULL,
    "buyer_organisation_id" INTEGER,
    "flow" "Flow" NOT NULL,
    "invoice_title" TEXT NOT NULL DEFAULT '',
    "tax_number" TEXT NOT NULL DEFAULT '',
    "province_code" VARCHAR(12) NOT NULL,
    "city_code" VARCHAR(12) NOT NULL,
    "district_code" VARCHAR(12) NOT NULL,
    "street" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "mobile" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "state" "OrderState" NOT NULL DEFAULT 'AWAITING_PAYMENT',
    "provider" "PaymentProviderKind" NOT NULL,
    "total_fen" INTEGER NOT NULL,
    "refunded_fen" INTEGER NOT NULL DEFAULT 0,
    "reference" TEXT NOT NULL,
    "checkout_key" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "paid_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "order_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "order_total_positive" CHECK ("total_fen" > 0),
    CONSTRAINT "order_refunded_range" CHECK ("refunded_fen" >= 0 AND "refunded_fen" <= "total_fen"),
    CONSTRAINT "order_flow_matches_buyer" CHECK (("flow" = 'PROCUREMENT') = ("buyer_organisation_id" IS NOT NULL)),
    CONSTRAINT "order_mobile_format" CHECK ("mobile" ~ '^1[3-9][0-9]{9}$')
);

CREATE TABLE "order_line" (
    "id" SERIAL NOT NULL,
    "order_id" INTEGER NOT NULL,
    "fulfilment_id" INTEGER NOT NULL,
    "variant_id" INTEGER NOT NULL,
    "product_id" INTEGER NOT NULL,
    "seller_id" INTEGER NOT NULL,
    "product_name_zh" TEXT NOT NULL,
    "product_name_en" TEXT NOT NULL DEFAULT '',
    "variant_name_zh" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "statistics_kind" "StatisticsKind" NOT NULL,
    "origin_code" VARCHAR(12) NOT NULL,
    "unit_price_fen" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amount_fen" INTEGER NOT NULL,
    "refunded_fen" INTEGER NOT NULL DEFAULT 0,
    "refunded_quantity" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "order_line_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "order_line_amount" CHECK ("quantity" > 0 AND "unit_price_fen" > 0 AND "amount_fen" = "unit_price_fen" * "quantity"),
    CONSTRAINT "order_line_refund_range" CHECK ("refunded_fen" >= 0 AND "refunded_fen" <= "amount_fen" AND "refunded_quantity" >= 0 AND "refunded_quantity" <= "quantity")
);

CREATE TABLE "fulfilment" (
    "id" SERIAL NOT NULL,
    "order_id" INTEGER NOT NULL,
    "seller_id" INTEGER NOT NULL,
    "state" "FulfilmentState" NOT NULL DEFAULT 'AWAITING_PAYMENT',
    "carrier" TEXT,
    "tracking_no" TEXT,
    "shipped_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    CONSTRAINT "fulfilment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "fulfilment_shipped_has_tracking" CHECK ("state" NOT IN ('SHIPPED', 'DELIVERED') OR ("carrier" IS NOT NULL AND "tracking_no" IS NOT NULL))
);

CREATE TABLE "payment" (
    "id" SERIAL NOT NULL,
    "order_id" INTEGER NOT NULL,
    "provider" "PaymentProviderKind" NOT NULL,
    "amount_fen" INTEGER NOT NULL,
    "state" "PaymentState" NOT NULL DEFAULT 'PENDING',
    "provider_session_id" TEXT,
    "provider_payment_id" TEXT,
    "bank_reference" TEXT,
    "received_on" DATE,
    "recorded_by_id" INTEGER,
    "review_note" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "payment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_amount_nonnegative" CHECK ("amount_fen" >= 0)
);

CREATE TABLE "refund" (
    "id" SERIAL NOT NULL,
    "order_id" INTEGER NOT NULL,
    "payment_id" INTEGER NOT NULL,
    "amount_fen" INTEGER NOT NULL,
    "state" "RefundState" NOT NULL DEFAULT 'PENDING',
    "reason" TEXT NOT NULL,
    "provider_refund_id" TEXT,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "refund_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "refund_amount_positive" CHECK ("amount_fen" > 0)
);

CREATE TABLE "refund_line" (
    "id" SERIAL NOT NULL,
    "refund_id" INTEGER NOT NULL,
    "order_line_id" INTEGER NOT NULL,
    "amount_fen" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    CONSTRAINT "refund_line_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "refund_line_amount_positive" CHECK ("amount_fen" > 0 AND "quantity" >= 0)
);

CREATE TABLE "order_event" (
    "id" SERIAL NOT NULL,
    "order_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "message_zh" TEXT NOT NULL,
    "message_en" TEXT NOT NULL,
    "actor_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "order_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "cart_user_id_key" ON "cart"("user_id");
CREATE INDEX "cart_line_variant_id_idx" ON "cart_line"("variant_id");
CREATE UNIQUE INDEX "order_reference_key" ON "order"("reference");
CREATE UNIQUE INDEX "order_checkout_key_key" ON "order"("checkout_key");
CREATE INDEX "order_buyer_id_created_at_idx" ON "order"("buyer_id", "created_at");
CREATE INDEX "order_state_expires_at_idx" ON "order"("state", "expires_at");
CREATE INDEX "order_line_order_id_idx" ON "order_line"("order_id");
CREATE INDEX "order_line_fulfilment_id_idx" ON "order_line"("fulfilment_id");
CREATE INDEX "order_line_variant_id_idx" ON "order_line"("variant_id");
CREATE UNIQUE INDEX "fulfilment_order_id_seller_id_key" ON "fulfilment"("order_id", "seller_id");
CREATE INDEX "fulfilment_seller_id_state_idx" ON "fulfilment"("seller_id", "state");
CREATE UNIQUE INDEX "payment_provider_session_id_key" ON "payment"("provider_session_id");
CREATE UNIQUE INDEX "payment_provider_payment_id_key" ON "payment"("provider_payment_id");
CREATE UNIQUE INDEX "payment_bank_reference_key" ON "payment"("bank_reference");
CREATE INDEX "payment_order_id_idx" ON "payment"("order_id");
CREATE INDEX "payment_state_idx" ON "payment"("state");
CREATE UNIQUE INDEX "refund_provider_refund_id_key" ON "refund"("provider_refund_id");
CREATE INDEX "refund_order_id_idx" ON "refund"("order_id");
CREATE INDEX "refund_line_refund_id_idx" ON "refund_line"("refund_id");
CREATE INDEX "refund_line_order_line_id_idx" ON "refund_line"("order_line_id");
CREATE INDEX "order_event_order_id_created_at_idx" ON "order_event"("order_id", "created_at");

-- AddForeignKey
ALTER TABLE "cart" ADD CONSTRAINT "cart_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_cart_id_fkey" FOREIGN KEY ("cart_id") REFERENCES "cart"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_variant_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "variant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "order" ADD CONSTRAINT "order_buyer_id_fkey" FOREIGN KEY ("buyer_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "order" ADD CONSTRAINT "order_buyer_organisation_id_fkey" FOREIGN KEY ("buyer_organisation_id") REFERENCES "organisation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_fulfilment_id_fkey" FOREIGN KEY ("fulfilment_id") REFERENCES "fulfilment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_variant_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "variant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "fulfilment" ADD CONSTRAINT "fulfilment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "fulfilment" ADD CONSTRAINT "fulfilment_seller_id_fkey" FOREIGN KEY ("seller_id") REFERENCES "seller"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "payment" ADD CONSTRAINT "payment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "refund" ADD CONSTRAINT "refund_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "refund" ADD CONSTRAINT "refund_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "refund_line" ADD CONSTRAINT "refund_line_refund_id_fkey" FOREIGN KEY ("refund_id") REFERENCES "refund"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "refund_line" ADD CONSTRAINT "refund_line_order_line_id_fkey" FOREIGN KEY ("order_line_id") REFERENCES "order_line"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "order_event" ADD CONSTRAINT "order_event_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
