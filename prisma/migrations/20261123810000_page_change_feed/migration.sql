-- Buyer reviews and quantity breaks join the catalogue change feed (search_outbox): a new, answered, hidden or removed review
-- is a change of its product's public page, so every instance drops its cached copy of that page
-- (docs/decisions/0010-product-page-cache.md). Statement-level, like the other feed triggers.
CREATE TRIGGER "buyer_review_feed_ins" AFTER INSERT ON "buyer_review" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
CREATE TRIGGER "buyer_review_feed_upd" AFTER UPDATE ON "buyer_review" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
CREATE TRIGGER "buyer_review_feed_del" AFTER DELETE ON "buyer_review" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');

-- Quantity breaks (variant_price_break) are shown on the product page too: their product joins the feed.
CREATE FUNCTION "search_outbox_variant_child_trg"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids INTEGER[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT v.product_id) INTO ids FROM variant v WHERE v.id IN (SELECT variant_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(DISTINCT v.product_id) INTO ids FROM variant v
        WHERE v.id IN (SELECT variant_id FROM new_rows UNION SELECT variant_id FROM old_rows);
    ELSE
        -- a variant deleted with its breaks is reported by the variant's own trigger
        SELECT array_agg(DISTINCT v.product_id) INTO ids FROM variant v WHERE v.id IN (SELECT variant_id FROM old_rows);
    END IF;
    PERFORM search_outbox_enqueue(ids, TG_TABLE_NAME);
    RETURN NULL;
END $$;

CREATE TRIGGER "variant_price_break_feed_ins" AFTER INSERT ON "variant_price_break" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_variant_child_trg();
CREATE TRIGGER "variant_price_break_feed_upd" AFTER UPDATE ON "variant_price_break" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_variant_child_trg();
CREATE TRIGGER "variant_price_break_feed_del" AFTER DELETE ON "variant_price_break" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_variant_child_trg();
