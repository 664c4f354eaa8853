-- name: shg_changes
-- What changed since the register before the one standing at the as-of date: SHGs newly
-- inactive, revived (inactive then, not now), new in the register, and no longer in it.
-- reasons_now / reasons_before are the inactive reason codes at each register, with the
-- figures behind them (last_meeting ... now; last_meeting_before ... then).
-- optional: district
WITH now AS (SELECT * FROM shg_status($as_of, dist := $district)),
before AS (SELECT * FROM shg_status(shg_previous_date($as_of), dist := $district))
SELECT CASE
        WHEN b.shg_code IS NULL THEN 'new'
        WHEN n.shg_code IS NULL THEN 'gone'
        WHEN n.inactive_reasons <> '' AND b.inactive_reasons = '' THEN 'newly_inactive'
        WHEN n.inactive_reasons = '' AND b.inactive_reasons <> '' THEN 'revived'
    END AS change,
    coalesce(n.shg_code, b.shg_code) AS shg_code, coalesce(n.shg_name, b.shg_name) AS shg_name,
    coalesce(n.block, b.block) AS block, coalesce(n.panchayat, b.panchayat) AS panchayat,
    coalesce(n.village, b.village) AS village,
    n.inactive_reasons AS reasons_now, b.inactive_reasons AS reasons_before,
    b.register_date AS previous_register, n.register_date AS register,
    n.last_meeting, n.last_saving_date, n.overdue, n.status,
    b.last_meeting AS last_meeting_before, b.last_saving_date AS last_saving_date_before,
    b.overdue AS overdue_before, b.status AS status_before
FROM now n FULL JOIN before b ON n.shg_code = b.shg_code
WHERE shg_previous_date($as_of) IS NOT NULL AND change IS NOT NULL
ORDER BY change, block, panchayat NULLS LAST, shg_code;
