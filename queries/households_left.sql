-- name: households_left
-- The households still to reach at the as-of date: those where at least one member has no
-- Ayushman card, by their latest survey on or before the date (in one block, or one panchayat,
-- when given). ration_card is masked (XXXX and the last four); members_left = members -
-- members_carded. head_name (the household head, for the operator only) and in_shg come last.
-- optional: block, panchayat, district
SELECT block, panchayat, village, tola, ration_card, social_group, members,
    members - members_carded AS members_left, worker_id, survey_date, in_shg, head_name
FROM households_as_of($as_of, dist := $district)
WHERE members_carded < members
  AND ($block IS NULL OR block = $block)
  AND ($panchayat IS NULL OR panchayat = $panchayat)
ORDER BY block, panchayat, village, tola, members_left DESC, ration_card;
