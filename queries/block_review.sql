-- name: block_review
-- Each block at the as-of date with every figure the Blocks page shows: block_progress's
-- columns, then the gap to the target, the deadline (the block's own, else the district's),
-- cards a day needed to meet it, the status colour from the Settings thresholds (red /
-- amber / green) and the block's last report date. Params: $indicator, $as_of.
-- optional: district
SELECT * FROM block_review($indicator, CAST($as_of AS DATE), dist := $district)
ORDER BY rank, block;
