-- 003: boundary files (kind 'boundaries'): one row per shape, with what it was matched to.
-- The file itself is kept beside the store (uploads.raw_path); `shape` is the shape as read
-- (EPSG:4326, repaired), `display` the simplified copy the maps draw. Both are WKB.
CREATE TABLE boundary_features (
    upload_id      INTEGER NOT NULL,
    feature        INTEGER NOT NULL,   -- its order in the file, from 1
    level          VARCHAR NOT NULL,   -- block | panchayat
    written        VARCHAR,            -- the name as written in the file
    code_written   VARCHAR,            -- the code as written (LGD), if the file has one
    parent_written VARCHAR,            -- the parent's name or code as written
    parent_code    VARCHAR,            -- the parent matched (district for blocks, block for panchayats)
    code           VARCHAR,            -- the place it was matched to (NULL: unmatched)
    name           VARCHAR,
    how            VARCHAR NOT NULL,   -- code | exact | fuzzy | confirmed | unmatched
    note           VARCHAR,            -- why unmatched: code_name_disagree | ambiguous | shared
    shape          BLOB NOT NULL,
    display        BLOB NOT NULL
);
