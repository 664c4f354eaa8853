-- name: tola_coverage
-- Every tola (ward, hamlet) of the surveyed households at the as-of date: SC and ST tolas first
-- (social_group: the group of most of its households), then by pct ascending. status is red,
-- amber or green by the Settings thresholds. households_left: households where at least one
-- member has no card; members_left: members without one.
-- optional: district
WITH h AS (SELECT * FROM households_as_of($as_of, dist := $district)),
groups AS (
    SELECT block, panchayat, tola, arg_max(social_group, n) AS social_group
    FROM (SELECT block, panchayat, tola, social_group, count(*) AS n FROM h
          WHERE social_group IS NOT NULL GROUP BY ALL)
    GROUP BY ALL
),
tolas AS (
    SELECT block, panchayat, tola, count(*) AS households, sum(members) AS members,
        sum(members_carded) AS members_carded,
        round(100.0 * sum(members_carded) / nullif(sum(members) FILTER (WHERE members_carded IS NOT NULL), 0), 1)
            AS pct,
        count(*) FILTER (WHERE members_carded < members) AS households_left,
        sum(members - members_carded) AS members_left
    FROM h GROUP BY ALL
)
SELECT t.block, t.panchayat, t.tola, g.social_group, t.households, t.members, t.members_carded, t.pct,
    status_of(t.pct) AS status, t.households_left, t.members_left
FROM tolas t LEFT JOIN groups g
    ON g.block = t.block AND g.panchayat IS NOT DISTINCT FROM t.panchayat AND g.tola IS NOT DISTINCT FROM t.tola
ORDER BY coalesce(g.social_group IN ('sc', 'st'), false) DESC, t.pct ASC NULLS LAST, t.block, t.panchayat, t.tola;
