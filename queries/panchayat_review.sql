-- name: panchayat_review
-- Each panchayat at the as-of date with every figure the drill-down shows:
-- panchayat_progress's columns, then the day's addition, the gap to the target, whether it
-- is under the per-panchayat minimum (Settings, default 500) and the status colour.
-- For one block or (when $block is left out) every block. Params: $indicator, $as_of, $block.
-- optional: block, district
SELECT * FROM panchayat_review($indicator, CAST($as_of AS DATE), $block, dist := $district)
ORDER BY block, pct DESC NULLS LAST, achieved DESC, panchayat;
