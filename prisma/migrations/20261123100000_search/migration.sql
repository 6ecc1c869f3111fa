-- Catalogue search: an outbox of product changes written by triggers, and shared search state.
-- See docs/decisions/0006-search.md.

-- CreateTable
CREATE TABLE "search_outbox" (
    "id" BIGSERIAL NOT NULL,
    "product_id" INTEGER,
    "source" TEXT NOT NULL,
    "tx_id" BIGINT NOT NULL DEFAULT (pg_current_xact_id())::text::bigint,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    CONSTRAINT "search_outbox_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "search_state" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "search_state_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "search_outbox_delivered_at_id_idx" ON "search_outbox"("delivered_at", "id");
CREATE INDEX "search_outbox_tx_id_idx" ON "search_outbox"("tx_id");
CREATE INDEX "search_outbox_created_at_idx" ON "search_outbox"("created_at");

-- ---------------------------------------------------------------------------------------------
-- Triggers (not expressible in Prisma). Statement-level with transition tables, so a bulk change
-- (COPY, a multi-row INSERT, an UPDATE of a whole province) writes one INSERT … SELECT, not one per row.
-- Postgres allows transition tables only on single-event triggers: one trigger per event.
-- ---------------------------------------------------------------------------------------------

-- Listed products whose origin is at or below one of `codes` (a county and its townships, a province …).
CREATE FUNCTION "search_listed_products_under"(codes TEXT[]) RETURNS TABLE (product_id INTEGER)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE below(code) AS (
        SELECT unnest(codes)
        UNION
        SELECT p.code FROM place p JOIN below b ON p.parent_code = b.code
    )
    SELECT pr.id FROM product pr WHERE pr.origin_code IN (SELECT code FROM below) AND pr.status = 'LISTED'
$$;

CREATE FUNCTION "search_outbox_enqueue"(ids INTEGER[], src TEXT) RETURNS VOID
LANGUAGE sql AS $$
    INSERT INTO search_outbox (product_id, source)
    SELECT DISTINCT id, src FROM unnest(ids) AS id WHERE id IS NOT NULL ORDER BY 1
$$;

-- product: its own id. variant, product_image: their product_id.
CREATE FUNCTION "search_outbox_product_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids INTEGER[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('SELECT array_agg(%I) FROM new_rows', TG_ARGV[0]) INTO ids;
    ELSIF TG_OP = 'UPDATE' THEN
        EXECUTE format('SELECT array_agg(x) FROM (SELECT %1$I AS x FROM new_rows UNION SELECT %1$I FROM old_rows) u', TG_ARGV[0]) INTO ids;
    ELSE
        EXECUTE format('SELECT array_agg(%I) FROM old_rows', TG_ARGV[0]) INTO ids;
    END IF;
    PERFORM search_outbox_enqueue(ids, TG_TABLE_NAME);
    RETURN NULL;
END $$;

-- seller: its listed products.
CREATE FUNCTION "search_outbox_seller_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids INTEGER[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(p.id) INTO ids FROM product p
        WHERE p.status = 'LISTED' AND p.seller_id IN (SELECT id FROM new_rows UNION SELECT id FROM old_rows);
    ELSE
        SELECT array_agg(p.id) INTO ids FROM product p WHERE p.status = 'LISTED' AND p.seller_id IN (SELECT id FROM old_rows);
    END IF;
    PERFORM search_outbox_enqueue(ids, TG_TABLE_NAME);
    RETURN NULL;
END $$;

-- category: listed products in it or in one of its children (documents carry the category path).
CREATE FUNCTION "search_outbox_category_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids INTEGER[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(p.id) INTO ids FROM product p JOIN category c ON c.id = p.category_id
        WHERE p.status = 'LISTED' AND (c.id IN (SELECT id FROM new_rows UNION SELECT id FROM old_rows)
                                       OR c.parent_id IN (SELECT id FROM new_rows UNION SELECT id FROM old_rows));
    ELSE
        SELECT array_agg(p.id) INTO ids FROM product p JOIN category c ON c.id = p.category_id
        WHERE p.status = 'LISTED' AND (c.id IN (SELECT id FROM old_rows) OR c.parent_id IN (SELECT id FROM old_rows));
    END IF;
    PERFORM search_outbox_enqueue(ids, TG_TABLE_NAME);
    RETURN NULL;
END $$;

-- place: listed products at or below the changed places (names and codes at every level are indexed).
CREATE FUNCTION "search_outbox_place_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids INTEGER[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(product_id) INTO ids FROM search_listed_products_under(
            ARRAY(SELECT code::text FROM new_rows UNION SELECT code::text FROM old_rows));
    ELSE
        SELECT array_agg(product_id) INTO ids FROM search_listed_products_under(ARRAY(SELECT code::text FROM old_rows));
    END IF;
    PERFORM search_outbox_enqueue(ids, TG_TABLE_NAME);
    RETURN NULL;
END $$;

-- pairing: listed products at or below its western place (documents carry pairing names at every level).
CREATE FUNCTION "search_outbox_pairing_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids INTEGER[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(product_id) INTO ids FROM search_listed_products_under(ARRAY(SELECT west_place_code::text FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        -- a renamed city pairing changes the documents under its group pairings too: their west places are below it
        SELECT array_agg(product_id) INTO ids FROM search_listed_products_under(
            ARRAY(SELECT west_place_code::text FROM new_rows UNION SELECT west_place_code::text FROM old_rows));
    ELSE
        SELECT array_agg(product_id) INTO ids FROM search_listed_products_under(ARRAY(SELECT west_place_code::text FROM old_rows));
    END IF;
    PERFORM search_outbox_enqueue(ids, TG_TABLE_NAME);
    RETURN NULL;
END $$;

CREATE TRIGGER "product_search_ins" AFTER INSERT ON "product" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('id');
CREATE TRIGGER "product_search_upd" AFTER UPDATE ON "product" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('id');
CREATE TRIGGER "product_search_del" AFTER DELETE ON "product" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('id');

CREATE TRIGGER "variant_search_ins" AFTER INSERT ON "variant" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
CREATE TRIGGER "variant_search_upd" AFTER UPDATE ON "variant" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
CREATE TRIGGER "variant_search_del" AFTER DELETE ON "variant" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');

CREATE TRIGGER "product_image_search_ins" AFTER INSERT ON "product_image" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
CREATE TRIGGER "product_image_search_upd" AFTER UPDATE ON "product_image" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
CREATE TRIGGER "product_image_search_del" AFTER DELETE ON "product_image" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');

-- A new seller, category or place has no products yet (products reference them): updates and deletes only.
CREATE TRIGGER "seller_search_upd" AFTER UPDATE ON "seller" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_seller_trg();
CREATE TRIGGER "seller_search_del" AFTER DELETE ON "seller" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_seller_trg();

CREATE TRIGGER "category_search_upd" AFTER UPDATE ON "category" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_category_trg();
CREATE TRIGGER "category_search_del" AFTER DELETE ON "category" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_category_trg();

CREATE TRIGGER "place_search_upd" AFTER UPDATE ON "place" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_place_trg();
CREATE TRIGGER "place_search_del" AFTER DELETE ON "place" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_place_trg();

CREATE TRIGGER "pairing_search_ins" AFTER INSERT ON "pairing" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_pairing_trg();
CREATE TRIGGER "pairing_search_upd" AFTER UPDATE ON "pairing" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_pairing_trg();
CREATE TRIGGER "pairing_search_del" AFTER DELETE ON "pairing" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_pairing_trg();
