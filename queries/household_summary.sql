-- name: household_summary
-- The district's surveyed households at the as-of date, in one row: households, members,
-- members_carded, pct, none_carded, some_left, members_left, not_in_shg, the SC and ST households
-- and their pct, the tolas and those red by the Settings thresholds, the workers who surveyed,
-- and the first and last survey dates up to the date.
-- optional: district
WITH h AS (SELECT * FROM households_as_of($as_of, dist := $district)),
tolas AS (
    SELECT block, panchayat, tola,
        round(100.0 * sum(members_carded) / nullif(sum(members) FILTER (WHERE members_carded IS NOT NULL), 0), 1)
            AS pct
    FROM h GROUP BY ALL
)
SELECT count(*) AS households, sum(members) AS members, sum(members_carded) AS members_carded,
    round(100.0 * sum(members_carded) / nullif(sum(members) FILTER (WHERE members_carded IS NOT NULL), 0), 1)
        AS pct,
    count(*) FILTER (WHERE members_carded = 0) AS none_carded,
    count(*) FILTER (WHERE members_carded < members) AS some_left,
    sum(members - members_carded) AS members_left,
    count(*) FILTER (WHERE NOT in_shg) AS not_in_shg,
    count(*) FILTER (WHERE social_group IN ('sc', 'st')) AS sc_st_households,
    round(100.0 * sum(members_carded) FILTER (WHERE social_group IN ('sc', 'st'))
          / nullif(sum(members) FILTER (WHERE social_group IN ('sc', 'st') AND members_carded IS NOT NULL), 0), 1)
        AS sc_st_pct,
    (SELECT count(*) FROM tolas) AS tolas,
    (SELECT count(*) FROM tolas WHERE status_of(pct) = 'red') AS tolas_red,
    count(DISTINCT worker_id) AS workers,
    min(survey_date) AS first_survey, max(survey_date) AS last_survey
FROM h;
