-- Buyer reviews join the catalogue change feed (search_outbox): a new, answered, hidden or removed review
-- is a change of its product's public page, so every instance drops its cached copy of that page
-- (docs/decisions/0010-product-page-cache.md). Statement-level, like the other feed triggers.
CREATE TRIGGER "buyer_review_feed_ins" AFTER INSERT ON "buyer_review" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
CREATE TRIGGER "buyer_review_feed_upd" AFTER UPDATE ON "buyer_review" REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
CREATE TRIGGER "buyer_review_feed_del" AFTER DELETE ON "buyer_review" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_outbox_product_trg('product_id');
