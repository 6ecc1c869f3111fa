-- Issue 7, organisation buyers: quantity breaks (阶梯价) per variant, and gift-distribution orders whose
-- parcels are split per recipient × seller (the fulfilment key now includes the recipient).

CREATE TABLE "variant_price_break" (
    "variant_id" INTEGER NOT NULL,
    "min_quantity" INTEGER NOT NULL,
    "price_fen" INTEGER NOT NULL,

    CONSTRAINT "variant_price_break_pkey" PRIMARY KEY ("variant_id", "min_quantity"),
    CONSTRAINT "variant_price_break_min_quantity" CHECK ("min_quantity" BETWEEN 2 AND 9999),
    CONSTRAINT "variant_price_break_price_positive" CHECK ("price_fen" > 0)
);

ALTER TABLE "variant_price_break" ADD CONSTRAINT "variant_price_break_variant_id_fkey" FOREIGN KEY ("variant_id") REFERENCES "variant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- 0: the order's own address (ordinary orders); otherwise the gift list's row number of the recipient
ALTER TABLE "fulfilment"
    ADD COLUMN "recipient_no" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "recipient_name" TEXT,
    ADD COLUMN "recipient_mobile" TEXT,
    ADD COLUMN "recipient_address" TEXT,
    ADD CONSTRAINT "fulfilment_recipient_complete" CHECK ("recipient_no" = 0 OR ("recipient_name" IS NOT NULL AND "recipient_mobile" IS NOT NULL AND "recipient_address" IS NOT NULL));

DROP INDEX "fulfilment_order_id_seller_id_key";
CREATE UNIQUE INDEX "fulfilment_order_id_seller_id_recipient_no_key" ON "fulfilment"("order_id", "seller_id", "recipient_no");
