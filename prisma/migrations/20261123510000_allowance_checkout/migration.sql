-- Issue 7 step 5: member allowances spent at checkout.
-- An order may be paid (partly or fully) from a union allowance; the rest is due by transfer / Stripe.
ALTER TABLE "order" ADD COLUMN "allowance_fen" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "order" ADD CONSTRAINT "order_allowance_fen_range" CHECK ("allowance_fen" >= 0 AND "allowance_fen" <= "total_fen");

-- an order fully covered by allowance is paid by this "provider"
ALTER TYPE "PaymentProviderKind" ADD VALUE 'ALLOWANCE';

-- allowance movements point at real orders (orders with allowance movements are never deleted)
ALTER TABLE "allowance_movement" ADD CONSTRAINT "allowance_movement_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
