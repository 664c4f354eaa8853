-- name: reporting_grid
-- Each block and day from from_date to to_date: status (on_time, late, missing, holiday),
-- the first upload's time (IST) and how many uploads held the block's rows that day.
-- optional: district
SELECT block, report_date, status, uploaded_at, uploads
FROM reporting_grid($indicator, $from_date, $to_date, dist := $district)
ORDER BY block, report_date;
