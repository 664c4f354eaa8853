-- name: worker_status
-- By block, the roster standing at the as-of date: workers, with an active login ID
-- (id_active), trained by that date, distinct supervisors, workers per supervisor, and
-- zero_output: workers with an active login who made no card in the 7 days up to the date.
-- optional: district
SELECT block, count(*) AS workers,
    count(*) FILTER (WHERE is_active) AS id_active,
    count(*) FILTER (WHERE is_trained) AS trained,
    count(DISTINCT supervisor_key) AS supervisors,
    round(count(*) / nullif(count(DISTINCT supervisor_key), 0), 1) AS workers_per_supervisor,
    count(*) FILTER (WHERE zero_output) AS zero_output
FROM worker_week($as_of, dist := $district)
GROUP BY block
ORDER BY block;
