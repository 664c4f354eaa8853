-- name: inactive_shgs
-- SHGs inactive at the as-of date, with the reasons (codes in order, ';'-separated):
-- no_meeting, no_savings, loan_overdue, marked_inactive. Each block is read from its latest
-- register on or before the date; the thresholds are settings (README: SHG rules).
-- optional: district
SELECT shg_code, shg_name, block, panchayat, village, inactive_reasons AS reasons
FROM shg_status($as_of, dist := $district)
WHERE inactive_reasons <> ''
ORDER BY block, panchayat NULLS LAST, village NULLS LAST, shg_code;
