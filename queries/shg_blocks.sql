-- name: shg_blocks
-- By block at the as-of date: SHGs, inactive and stagnant (count and %), members with an
-- Ayushman card and insured (% of members, where the register gives both), SHGs not yet
-- credit-linked and SHGs with no bank account (NULL where the register has no such column).
-- optional: district
SELECT block,
    max(register_date) AS register_date,
    count(*) AS shgs,
    count(*) FILTER (WHERE inactive_reasons <> '') AS inactive,
    round(100.0 * count(*) FILTER (WHERE inactive_reasons <> '') / count(*), 1) AS inactive_pct,
    count(*) FILTER (WHERE stagnant_reasons <> '') AS stagnant,
    round(100.0 * count(*) FILTER (WHERE stagnant_reasons <> '') / count(*), 1) AS stagnant_pct,
    sum(members) AS members,
    sum(members_ayushman) FILTER (WHERE members IS NOT NULL) AS members_ayushman,
    round(100.0 * sum(members_ayushman) FILTER (WHERE members IS NOT NULL)
          / nullif(sum(members) FILTER (WHERE members_ayushman IS NOT NULL), 0), 1) AS ayushman_pct,
    sum(members_insured) FILTER (WHERE members IS NOT NULL) AS members_insured,
    round(100.0 * sum(members_insured) FILTER (WHERE members IS NOT NULL)
          / nullif(sum(members) FILTER (WHERE members_insured IS NOT NULL), 0), 1) AS insured_pct,
    CASE WHEN bool_or(has_credit) THEN count(*) FILTER (WHERE has_credit AND coalesce(credit_linkages, 0) = 0) END
        AS not_credit_linked,
    CASE WHEN bool_or(has_bank) THEN count(*) FILTER (WHERE has_bank AND bank_account = false) END
        AS no_bank_account
FROM shg_status($as_of, dist := $district)
GROUP BY block
ORDER BY inactive_pct DESC, stagnant_pct DESC, block;
