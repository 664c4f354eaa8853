-- name: channel_share
-- The district's cumulative achievement at the as-of date by channel and each channel's
-- share in %, largest first (an empty channel: places whose reports are not split by
-- channel). Params: $indicator, $as_of.
-- optional: district
WITH by_channel AS (
    SELECT channel, sum(achieved) AS achieved, coalesce(sum(achieved_today), 0) AS achieved_today
    FROM chosen_series($indicator, CAST($as_of AS DATE), dist := $district)
    GROUP BY channel
)
SELECT
    channel,
    CAST(achieved AS BIGINT) AS achieved,
    CAST(achieved_today AS BIGINT) AS achieved_today,
    CASE WHEN sum(achieved) OVER () > 0 THEN round(achieved * 100.0 / sum(achieved) OVER (), 1) END AS share_pct
FROM by_channel
ORDER BY achieved DESC NULLS LAST, channel NULLS LAST;
