-- name: shg_review
-- Every SHG at the as-of date with the figures behind its reasons: the SHG page's lists
-- (`block` may be left out: all blocks).
-- optional: block, district
SELECT shg_code, shg_name, block, panchayat, village, village_organisation, register_date,
    formation_date, members, last_meeting, savings, last_saving_date, bank_account,
    credit_linkages, loan_outstanding, overdue, members_ayushman, members_insured, status, grade,
    compared_with, savings_before, members_before, inactive_reasons, stagnant_reasons
FROM shg_status($as_of, dist := $district)
WHERE $block IS NULL OR block = $block
ORDER BY block, panchayat NULLS LAST, village NULLS LAST, shg_code;
