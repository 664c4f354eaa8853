-- name: channel_progress
-- Each block's cumulative achievement at the as-of date by channel (ASHA, VLE, camp, ration
-- dealer …) and each channel's share of the block in %. A place whose latest report was not
-- split by channel has an empty channel. Params: $indicator, $as_of.
-- optional: district
WITH by_channel AS (
    SELECT block, channel, sum(achieved) AS achieved, coalesce(sum(achieved_today), 0) AS achieved_today
    FROM chosen_series($indicator, CAST($as_of AS DATE), dist := $district)
    GROUP BY block, channel
)
SELECT
    block,
    channel,
    CAST(achieved AS BIGINT) AS achieved,
    CAST(achieved_today AS BIGINT) AS achieved_today,
    CASE WHEN sum(achieved) OVER (PARTITION BY block) > 0
         THEN round(achieved * 100.0 / sum(achieved) OVER (PARTITION BY block), 1) END AS share_pct
FROM by_channel
ORDER BY block, channel NULLS LAST;
