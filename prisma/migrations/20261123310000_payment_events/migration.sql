CREATE TABLE "payment_event" (
    "id" BIGSERIAL NOT NULL,
    "provider" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "order_id" INTEGER,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,
    CONSTRAINT "payment_event_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_event_provider_check" CHECK ("provider" IN ('stripe', 'bank_transfer')),
    CONSTRAINT "payment_event_event_id_check" CHECK (length("event_id") BETWEEN 1 AND 255)
);
CREATE UNIQUE INDEX "payment_event_provider_event_id_key" ON "payment_event"("provider", "event_id");
CREATE INDEX "payment_event_order_id_idx" ON "payment_event"("order_id");
