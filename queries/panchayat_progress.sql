-- name: panchayat_progress
-- Each panchayat's target, cumulative achievement and % achieved at the as-of date, for one
-- block or (when $block is left out) every block. Params: $indicator, $as_of, $block.
-- optional: block
SELECT
    block,
    panchayat,
    target,
    achieved,
    CASE WHEN target > 0 THEN round(achieved * 100.0 / target, 1) END AS pct
FROM panchayat_figures($indicator, CAST($as_of AS DATE))
WHERE $block IS NULL OR block = $block
ORDER BY block, pct DESC NULLS LAST, panchayat;
