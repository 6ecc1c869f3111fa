-- The pairings a western place counts for, with their validity, resolved once per place: bulk imports
-- resolve each distinct origin once and then filter by day, instead of walking the place tree again for
-- every (origin, day). ledger_pairings_for (platform sales) is defined on top of it: one logic for both.
CREATE FUNCTION ledger_pairings_of(origin VARCHAR)
RETURNS TABLE (pairing_id INTEGER, pairing_level "PairingLevel", valid_from DATE, valid_to DATE) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE up AS (
    SELECT code, parent_code FROM place WHERE code = origin
    UNION ALL SELECT p.code, p.parent_code FROM place p JOIN up ON p.code = up.parent_code
  )
  SELECT pr.id, (CASE WHEN pr.parent_id IS NULL THEN 'TOP' ELSE 'GROUP' END)::"PairingLevel", pr.valid_from, pr.valid_to
  FROM pairing pr JOIN up ON up.code = pr.west_place_code
$$;

CREATE OR REPLACE FUNCTION ledger_pairings_for(origin VARCHAR, on_day DATE)
RETURNS TABLE (pairing_id INTEGER, pairing_level "PairingLevel") LANGUAGE sql STABLE AS $$
  SELECT o.pairing_id, o.pairing_level FROM ledger_pairings_of(origin) o
  WHERE o.valid_from <= on_day AND (o.valid_to IS NULL OR o.valid_to >= on_day)
$$;
