-- name: reporting_status
-- Each block's report for an indicator and day: on_time (first uploaded by the cut-off,
-- Settings, default 17:00 IST), late (after it) or missing; holiday on a day set as one.
-- uploaded_at is the first stored upload holding the block's rows (IST). Missing first.
-- optional: district
SELECT block, status, uploaded_at
FROM reporting_grid($indicator, $report_date, $report_date, dist := $district)
ORDER BY CASE status WHEN 'missing' THEN 0 WHEN 'late' THEN 1 WHEN 'on_time' THEN 2 ELSE 3 END, block;
