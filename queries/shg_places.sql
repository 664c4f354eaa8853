-- name: shg_places
-- SHG measures by place at the as-of date, for the map: by block, or by panchayat when
-- `level` is 'panchayat' (default: block). shgs, inactive_pct, ayushman_pct and insured_pct
-- (of members, where the register gives both).
-- optional: level, district
SELECT block, CASE WHEN coalesce($level, 'block') = 'panchayat' THEN panchayat END AS panchayat,
    count(*) AS shgs,
    count(*) FILTER (WHERE inactive_reasons <> '') AS inactive,
    round(100.0 * count(*) FILTER (WHERE inactive_reasons <> '') / count(*), 1) AS inactive_pct,
    sum(members) AS members,
    round(100.0 * sum(members_ayushman) FILTER (WHERE members IS NOT NULL)
          / nullif(sum(members) FILTER (WHERE members_ayushman IS NOT NULL), 0), 1) AS ayushman_pct,
    round(100.0 * sum(members_insured) FILTER (WHERE members IS NOT NULL)
          / nullif(sum(members) FILTER (WHERE members_insured IS NOT NULL), 0), 1) AS insured_pct
FROM shg_status($as_of, dist := $district)
GROUP BY ALL
ORDER BY block, panchayat;
