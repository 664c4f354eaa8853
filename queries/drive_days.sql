-- name: drive_days
-- A campaign period (e.g. a 3-day special drive) day by day: each block's cards reported for
-- each day from $from_date to $to_date (0 when it reported none), its total over the
-- period, and the period's target: the per-panchayat minimum (Settings, default 500) times
-- the block's panchayats (the gazetteer's, else those it reported).
-- Params: $indicator, $from_date, $to_date.
-- optional: district
WITH days AS (
    SELECT CAST(d AS DATE) AS report_date
    FROM generate_series(CAST($from_date AS DATE), CAST($to_date AS DATE), INTERVAL 1 DAY) g(d)
), trend AS (
    SELECT * FROM block_trend($indicator, CAST($to_date AS DATE), dist := $district)
), blocks AS (
    SELECT block, block_code FROM block_figures($indicator, CAST($to_date AS DATE), dist := $district)
), listed AS (
    SELECT b.block, count(p.code) AS panchayats
    FROM blocks b JOIN places_current p ON p.level = 'panchayat' AND p.parent_code = b.block_code
    GROUP BY b.block
), reported AS (
    SELECT block, count(DISTINCT panchayat) AS panchayats FROM progress_series
    WHERE indicator = $indicator AND panchayat IS NOT NULL AND in_district($district, block_code)
    GROUP BY block
), grid AS (
    SELECT b.block, d.report_date, coalesce(t.achieved_today, 0) AS achieved_day
    FROM blocks b CROSS JOIN days d
    LEFT JOIN trend t ON t.block = b.block AND t.report_date = d.report_date
)
SELECT
    g.block,
    g.report_date,
    CAST(g.achieved_day AS BIGINT) AS achieved_day,
    CAST(sum(g.achieved_day) OVER (PARTITION BY g.block) AS BIGINT) AS drive_achieved,
    CAST(setting_number('panchayat_minimum', 500) * nullif(coalesce(l.panchayats, r.panchayats, 0), 0) AS BIGINT)
        AS drive_target,
    coalesce(l.panchayats, r.panchayats) AS panchayats
FROM grid g
LEFT JOIN listed l USING (block)
LEFT JOIN reported r USING (block)
ORDER BY g.block, g.report_date;
