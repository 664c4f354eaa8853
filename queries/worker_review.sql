-- name: worker_review
-- Each worker of the roster standing at the as-of date (one block, or all): login ID active,
-- trained by the date, supervisor, cards in the 7 days up to the date, the last day with a
-- card, and zero_output.
-- optional: block, district
SELECT worker_id_written AS worker_id, worker_name, role, block, panchayat, supervisor,
    id_active, is_active, trained, training_date, is_trained, cards_7d, days_reported_7d,
    last_card_date, cards_total, zero_output, roster_date
FROM worker_week($as_of, dist := $district)
WHERE $block IS NULL OR block = $block
ORDER BY block, panchayat NULLS LAST, worker_name, worker_id;
