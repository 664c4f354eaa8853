-- name: district_summary
-- The district at the as-of date: target, achieved, %, the day's addition, the deadline
-- and the cards a day needed from the next day on to reach the target by the deadline
-- (0 when reached; empty when there is no target or deadline, or the deadline has passed).
-- The district's own target (a targets row with no block, else Settings) wins over the
-- blocks' sum; the deadline comes from the targets file, else Settings.
-- Params: $indicator, $as_of.
-- optional: district
SELECT target, achieved, pct, achieved_today, deadline, required_per_day
FROM district_review($indicator, CAST($as_of AS DATE), dist := $district);
