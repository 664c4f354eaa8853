-- name: household_coverage
-- Ayushman card coverage of the surveyed households at the as-of date, by block, panchayat or
-- tola (`level`; panchayat and tola are empty above the level asked). Each household counts
-- once, by its latest survey on or before the date. pct = members_carded / members x 100 (one
-- decimal; of the households whose card count was written); none_carded: households where no
-- member has a card; some_left: households where at least one member has none.
-- optional: district
SELECT block,
    CASE WHEN $level IN ('panchayat', 'tola') THEN panchayat END AS panchayat,
    CASE WHEN $level = 'tola' THEN tola END AS tola,
    count(*) AS households,
    sum(members) AS members,
    sum(members_carded) AS members_carded,
    round(100.0 * sum(members_carded) / nullif(sum(members) FILTER (WHERE members_carded IS NOT NULL), 0), 1)
        AS pct,
    count(*) FILTER (WHERE members_carded = 0) AS none_carded,
    count(*) FILTER (WHERE members_carded < members) AS some_left
FROM households_as_of($as_of, dist := $district)
GROUP BY ALL
ORDER BY block, panchayat NULLS FIRST, tola NULLS FIRST;
