-- name: district_summary
-- The district at the as-of date: target, achieved, %, the day's addition, the deadline
-- and the number a day needed from the next day on to reach the target by the deadline
-- (0 when reached; empty when there is no target or deadline, or the deadline has passed).
-- The district's own target (a targets row with no block) wins over the blocks' sum.
-- Params: $indicator, $as_of.
WITH blocks AS (
    SELECT * FROM block_figures($indicator, CAST($as_of AS DATE))
), own AS (
    SELECT max(target) AS target, max(deadline) AS deadline FROM targets_current
    WHERE indicator = $indicator AND block IS NULL AND panchayat IS NULL
), any_deadline AS (
    SELECT max(deadline) AS deadline FROM targets_current WHERE indicator = $indicator
), totals AS (
    SELECT coalesce(own.target, sum(b.target)) AS target,
        coalesce(sum(b.achieved), 0) AS achieved,
        coalesce(sum(b.achieved_today), 0) AS achieved_today,
        coalesce(own.deadline, any_deadline.deadline) AS deadline,
        CAST($as_of AS DATE) AS as_of
    FROM own, any_deadline LEFT JOIN blocks b ON true
    GROUP BY own.target, own.deadline, any_deadline.deadline
)
SELECT
    target,
    achieved,
    CASE WHEN target > 0 THEN round(achieved * 100.0 / target, 1) END AS pct,
    achieved_today,
    deadline,
    CASE
        WHEN target IS NULL OR deadline IS NULL THEN NULL
        WHEN achieved >= target THEN 0
        WHEN deadline <= as_of THEN NULL
        ELSE CAST(ceil((target - achieved) * 1.0 / date_diff('day', as_of, deadline)) AS BIGINT)
    END AS required_per_day
FROM totals;
