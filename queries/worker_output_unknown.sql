-- name: worker_output_unknown
-- Output up to the as-of date for worker IDs that no stored roster holds: stored, counted for
-- no block until a roster names the worker.
SELECT worker_id_written AS worker_id, any_value(name_written) AS worker_name,
    any_value(block_written) AS block_written, sum(cards) AS cards, count(*) AS days,
    min(output_date) AS first_date, max(output_date) AS last_date
FROM worker_output_current
WHERE output_date <= CAST($as_of AS DATE)
  AND worker_id NOT IN (SELECT worker_id FROM workers_stored)
GROUP BY worker_id, worker_id_written
ORDER BY cards DESC, worker_id;
