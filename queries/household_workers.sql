-- name: household_workers
-- Each worker's survey progress at the as-of date (who surveyed the households, by their latest
-- survey on or before it): the block and panchayat of most of them, households surveyed, members,
-- members_carded, pct, households_left (at least one member without a card), the last survey
-- date, and the worker's name and role from the roster standing at the date (when one names
-- the ID). In one block when given.
-- optional: block, district
WITH h AS (SELECT * FROM households_as_of($as_of, dist := $district)
           WHERE worker_id IS NOT NULL AND ($block IS NULL OR block = $block))
SELECT h.worker_id, mode(h.block) AS block, mode(h.panchayat) AS panchayat, count(*) AS households,
    sum(h.members) AS members, sum(h.members_carded) AS members_carded,
    round(100.0 * sum(h.members_carded) / nullif(sum(h.members) FILTER (WHERE h.members_carded IS NOT NULL), 0), 1)
        AS pct,
    count(*) FILTER (WHERE h.members_carded < h.members) AS households_left,
    max(h.survey_date) AS last_survey,
    any_value(r.worker_name) AS worker_name, any_value(r.role) AS role
FROM h LEFT JOIN roster_as_of($as_of) r ON r.worker_id = h.worker_id
GROUP BY h.worker_id
ORDER BY block, households DESC, h.worker_id;
