-- name: shg_summary
-- The district's SHG figures at the as-of date: SHGs, inactive, stagnant, members and
-- coverage; the register dates read (blocks may differ), the earlier register no_growth
-- compared with, the register before (for "change since"), and which rules the registers'
-- columns allow (a rule whose column no register has is not applied). The inactive SHGs are
-- also counted by reason, a meeting or saving too long ago apart from none recorded (blank):
-- no_meeting_since, no_meeting_not_recorded, no_savings_since, no_savings_not_recorded,
-- loan_overdue, marked_inactive (an SHG may have several reasons).
-- optional: district
SELECT count(*) AS shgs,
    count(*) FILTER (WHERE inactive_reasons <> '') AS inactive,
    round(100.0 * count(*) FILTER (WHERE inactive_reasons <> '') / nullif(count(*), 0), 1) AS inactive_pct,
    count(*) FILTER (WHERE stagnant_reasons <> '') AS stagnant,
    round(100.0 * count(*) FILTER (WHERE stagnant_reasons <> '') / nullif(count(*), 0), 1) AS stagnant_pct,
    count(*) FILTER (WHERE list_contains(string_split(inactive_reasons, ';'), 'no_meeting')
                     AND last_meeting IS NOT NULL) AS no_meeting_since,
    count(*) FILTER (WHERE list_contains(string_split(inactive_reasons, ';'), 'no_meeting')
                     AND last_meeting IS NULL) AS no_meeting_not_recorded,
    count(*) FILTER (WHERE list_contains(string_split(inactive_reasons, ';'), 'no_savings')
                     AND last_saving_date IS NOT NULL) AS no_savings_since,
    count(*) FILTER (WHERE list_contains(string_split(inactive_reasons, ';'), 'no_savings')
                     AND last_saving_date IS NULL) AS no_savings_not_recorded,
    count(*) FILTER (WHERE list_contains(string_split(inactive_reasons, ';'), 'loan_overdue')) AS loan_overdue,
    count(*) FILTER (WHERE list_contains(string_split(inactive_reasons, ';'), 'marked_inactive')) AS marked_inactive,
    sum(members) AS members,
    round(100.0 * sum(members_ayushman) FILTER (WHERE members IS NOT NULL)
          / nullif(sum(members) FILTER (WHERE members_ayushman IS NOT NULL), 0), 1) AS ayushman_pct,
    round(100.0 * sum(members_insured) FILTER (WHERE members IS NOT NULL)
          / nullif(sum(members) FILTER (WHERE members_insured IS NOT NULL), 0), 1) AS insured_pct,
    min(register_date) AS first_register, max(register_date) AS last_register,
    max(compared_with) AS compared_with,
    shg_previous_date($as_of) AS previous_register,
    coalesce(bool_or(has_meeting), false) AS rule_no_meeting,
    coalesce(bool_or(has_saving_date), false) AS rule_no_savings,
    coalesce(bool_or(has_overdue), false) AS rule_loan_overdue,
    coalesce(bool_or(has_status), false) AS rule_marked_inactive,
    coalesce(bool_or(has_savings) AND max(compared_with) IS NOT NULL, false) AS rule_no_growth,
    coalesce(bool_or(has_credit AND has_formation), false) AS rule_no_credit_linkage,
    coalesce(bool_or(has_savings), false) AS has_savings,
    coalesce(bool_or(has_ayushman), false) AS has_ayushman,
    coalesce(bool_or(has_insured), false) AS has_insured,
    coalesce(bool_or(has_credit), false) AS has_credit,
    coalesce(bool_or(has_bank), false) AS has_bank
FROM shg_status($as_of, dist := $district);
