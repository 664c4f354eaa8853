-- name: panchayat_progress
-- Each panchayat's target, cumulative achievement and % achieved at the as-of date, for one
-- block or (when $block is left out) every block. Params: $indicator, $as_of, $block.
-- optional: block, district
SELECT block, panchayat, target, achieved, pct
FROM panchayat_review($indicator, CAST($as_of AS DATE), $block, dist := $district)
ORDER BY block, pct DESC NULLS LAST, achieved DESC, panchayat;
