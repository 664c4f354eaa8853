-- name: shg_outreach
-- Households not in any SHG, by panchayat, at the as-of date (each household by its latest
-- survey on or before it): households surveyed, not_in_shg (the survey says not in one),
-- not_in_shg_pct (of the households whose survey says either).
-- optional: district
SELECT block, panchayat, count(*) AS households,
    count(*) FILTER (WHERE NOT in_shg) AS not_in_shg,
    round(100.0 * count(*) FILTER (WHERE NOT in_shg) / nullif(count(in_shg), 0), 1) AS not_in_shg_pct
FROM households_as_of($as_of, dist := $district)
GROUP BY ALL
ORDER BY block, panchayat;
