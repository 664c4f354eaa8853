-- name: progress_trend
-- Day by day up to the as-of date, for the district or (with $block) one block, only the
-- dates it reported: the cumulative figure on each report date (a place that did not report
-- keeps its last figure; a place that changed how it reports is counted on each date the way
-- it reported then) and that day's reported addition. The figure at the as-of date equals
-- district_summary / block_progress. Params: $indicator, $as_of, $block.
-- optional: block, district
SELECT report_date, achieved, achieved_today
FROM district_trend($indicator, CAST($as_of AS DATE), dist := $district)
WHERE $block IS NULL
UNION ALL
SELECT report_date, achieved, achieved_today
FROM block_trend($indicator, CAST($as_of AS DATE), dist := $district)
WHERE $block IS NOT NULL AND block = $block
ORDER BY report_date;
