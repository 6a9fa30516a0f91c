-- One quarterly report of the general office per city and quarter: the unique key of 0014 leaves
-- reports without a chain out (NULLs differ). Any earlier duplicates keep their text under a
-- marked period.
UPDATE dispatch_reports SET period = period || '（重复）' || id
WHERE chain_id IS NULL AND EXISTS (
    SELECT 1 FROM dispatch_reports o
    WHERE o.chain_id IS NULL AND o.city_id = dispatch_reports.city_id AND o.kind = dispatch_reports.kind
      AND o.period = dispatch_reports.period AND o.id < dispatch_reports.id
);
CREATE UNIQUE INDEX dispatch_reports_city_once ON dispatch_reports (city_id, kind, period) WHERE chain_id IS NULL;
