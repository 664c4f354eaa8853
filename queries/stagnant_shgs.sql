-- name: stagnant_shgs
-- SHGs stagnant at the as-of date, with the reasons (codes in order, ';'-separated):
-- no_growth (no growth in savings, members or credit linkage since a register at least
-- 60 days older) and no_credit_linkage (over 12 months old, no credit linkage).
-- optional: district
SELECT shg_code, shg_name, block, panchayat, village, stagnant_reasons AS reasons
FROM shg_status($as_of, dist := $district)
WHERE stagnant_reasons <> ''
ORDER BY block, panchayat NULLS LAST, village NULLS LAST, shg_code;
