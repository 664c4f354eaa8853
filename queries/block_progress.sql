-- name: block_progress
-- Each block's target, cumulative achievement, % achieved and the day's addition at the
-- as-of date, ranked (1 = best % achieved). The columns of the contract; block_review has
-- these and the rest of the review figures. Params: $indicator, $as_of (a date).
-- optional: district
SELECT block, target, achieved, pct, achieved_today, rank
FROM block_review($indicator, CAST($as_of AS DATE), dist := $district)
ORDER BY rank, block;
