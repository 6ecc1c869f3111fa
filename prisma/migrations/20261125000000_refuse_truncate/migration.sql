-- TRUNCATE skips row triggers. While ledger_entry.pairing_id and import_row.batch_id were foreign keys,
-- Postgres refused TRUNCATE of pairing and import_batch by itself; since ADR 0012 made them trigger
-- checks, TRUNCATE pairing CASCADE went through and left ledger entries counting for pairings that no
-- longer exist. The same for import_row, the evidence behind every import ledger entry (never a
-- foreign key: the ledger names its sources by type and id). Refused while something refers to them.
CREATE FUNCTION refuse_truncate_if_referenced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  referenced BOOLEAN;
BEGIN
  -- TG_ARGV: referring table, the condition that makes a row of it refer here, constraint name, reason
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %s)', TG_ARGV[0], TG_ARGV[1]) INTO referenced;
  IF referenced THEN
    RAISE EXCEPTION 'TRUNCATE of % refused: %', TG_TABLE_NAME, TG_ARGV[3]
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[2];
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER pairing_ledger_no_truncate BEFORE TRUNCATE ON "pairing" FOR EACH STATEMENT
  EXECUTE FUNCTION refuse_truncate_if_referenced('ledger_entry', 'true', 'ledger_entry_pairing_id_fkey', 'ledger entries count for its pairings');
CREATE TRIGGER import_batch_rows_no_truncate BEFORE TRUNCATE ON "import_batch" FOR EACH STATEMENT
  EXECUTE FUNCTION refuse_truncate_if_referenced('import_row', 'true', 'import_row_batch_id_fkey', 'import rows belong to its batches');
CREATE TRIGGER import_row_ledger_no_truncate BEFORE TRUNCATE ON "import_row" FOR EACH STATEMENT
  EXECUTE FUNCTION refuse_truncate_if_referenced('ledger_entry', 'source_type IN (''IMPORT_ROW'', ''IMPORT_REVERSAL'')', 'ledger_entry_import_row', 'ledger entries count its rows');
