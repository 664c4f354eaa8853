-- name: block_progress
-- Each block's target, cumulative achievement, % achieved and the day's addition at the
-- as-of date, ranked (1 = best % achieved). Params: $indicator, $as_of (a date).
SELECT
    block,
    target,
    achieved,
    CASE WHEN target > 0 THEN round(achieved * 100.0 / target, 1) END AS pct,
    achieved_today,
    CAST(rank() OVER (
        ORDER BY CASE WHEN target > 0 THEN achieved * 1.0 / target END DESC NULLS LAST,
                 achieved DESC) AS INTEGER) AS rank
FROM block_figures($indicator, CAST($as_of AS DATE))
ORDER BY rank, block;
