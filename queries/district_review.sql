-- name: district_review
-- The district at the as-of date with every figure the Overview shows: district_summary's
-- columns, then the gap, the previous report date and that day's addition, the change
-- from it, the pace (cards a day over the last 7 days, or since the first report when
-- that is shorter), the date the target would be met at that pace (empty when reached or
-- when the pace is zero), the first report date and the status colour.
-- Params: $indicator, $as_of.
-- optional: district
SELECT * FROM district_review($indicator, CAST($as_of AS DATE), dist := $district);
