-- Buyer reviews and ratings of delivered order lines (one per line), seller replies, admin hiding.

-- CreateTable
CREATE TABLE "buyer_review" (
    "id" SERIAL NOT NULL,
    "order_line_id" INTEGER NOT NULL,
    "product_id" INTEGER NOT NULL,
    "seller_id" INTEGER NOT NULL,
    "buyer_id" INTEGER NOT NULL,
    "rating" INTEGER NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "seller_reply" TEXT,
    "replied_by_id" INTEGER,
    "replied_at" TIMESTAMPTZ(3),
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "hide_reason" TEXT,
    "hidden_by_id" INTEGER,
    "hidden_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "buyer_review_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "buyer_review_rating_range" CHECK ("rating" BETWEEN 1 AND 5),
    CONSTRAINT "buyer_review_body_length" CHECK (char_length("body") <= 1000),
    CONSTRAINT "buyer_review_reply_length" CHECK ("seller_reply" IS NULL OR (char_length("seller_reply") BETWEEN 1 AND 1000)),
    CONSTRAINT "buyer_review_hidden_reason" CHECK (NOT "hidden" OR length(trim(coalesce("hide_reason", ''))) > 0)
);

-- CreateIndex
CREATE UNIQUE INDEX "buyer_review_order_line_id_key" ON "buyer_review"("order_line_id");
CREATE INDEX "buyer_review_product_id_created_at_idx" ON "buyer_review"("product_id", "created_at");
CREATE INDEX "buyer_review_seller_id_created_at_idx" ON "buyer_review"("seller_id", "created_at");
CREATE INDEX "buyer_review_buyer_id_idx" ON "buyer_review"("buyer_id");

-- AddForeignKey
ALTER TABLE "buyer_review" ADD CONSTRAINT "buyer_review_order_line_id_fkey" FOREIGN KEY ("order_line_id") REFERENCES "order_line"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "buyer_review" ADD CONSTRAINT "buyer_review_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "buyer_review" ADD CONSTRAINT "buyer_review_buyer_id_fkey" FOREIGN KEY ("buyer_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "buyer_review" ADD CONSTRAINT "buyer_review_replied_by_id_fkey" FOREIGN KEY ("replied_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "buyer_review" ADD CONSTRAINT "buyer_review_hidden_by_id_fkey" FOREIGN KEY ("hidden_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Seller staff reply to reviews of their own seller's goods; admins hide abusive reviews.
INSERT INTO "permission" ("action", "entity", "access") VALUES ('reply', 'review', 'own'), ('hide', 'review', 'any');
INSERT INTO "role_permission" ("role_id", "permission_id")
SELECT r."id", p."id" FROM "role" r JOIN "permission" p ON p."entity" = 'review' AND (
  (r."name" = 'seller_staff' AND p."action" = 'reply')
  OR (r."name" = 'admin')
);
