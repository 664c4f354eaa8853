-- name: boundary_matches
-- The shapes drawn at a level (the newest stored boundary file of that level), each with
-- the name as written, the place it was matched to and how: code, exact, fuzzy, confirmed
-- or unmatched (note says why: code_name_disagree, ambiguous, shared). `block` is the
-- block the shape lies in (for panchayats). Params: $level (block or panchayat).
SELECT f.feature, f.written AS name, f.code_written, f.parent_written,
    f.name AS matched_name,
    CASE WHEN f.code LIKE '~%' THEN NULL ELSE f.code END AS matched_code,
    f.how, f.note, f.parent_code,
    CASE WHEN f.level = 'block' THEN f.name
         WHEN f.code LIKE '~%' THEN split_part(substr(f.code, 2), '/', 1)
         ELSE coalesce(pb.name, b.name) END AS block,
    f.upload_id
FROM boundary_features f
LEFT JOIN places_current p ON p.level = 'panchayat' AND p.code = f.code
LEFT JOIN places_current pb ON pb.level = 'block' AND pb.code = p.parent_code
LEFT JOIN places_current b ON b.level = 'block' AND b.code = f.parent_code
WHERE f.level = $level AND f.upload_id = (
    SELECT max(u.upload_id) FROM uploads u JOIN boundary_features g USING (upload_id)
    WHERE u.status = 'stored' AND u.kind = 'boundaries' AND g.level = $level)
ORDER BY f.feature;
