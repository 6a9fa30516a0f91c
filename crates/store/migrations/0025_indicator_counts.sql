-- A cultivation goal (5年内培育突破10亿元的企业15家, 每年新增规上企业15家 …) is counted in the
-- enterprise library rather than reported: how, as a code (`revenue_at_least:FEN`,
-- `holding:TIER,…`, `gained:TIER,…`), or empty for an indicator that is reported.
ALTER TABLE indicators ADD COLUMN counts TEXT NOT NULL DEFAULT '';
