-- 006: what the operator said a column means (the Upload page's column table, or --column),
-- remembered for later files: by the layout (its kind and header texts) and the column's place
-- in it, and by the header's text alone. A later saying of the same wins; `columns --forget`
-- removes one.
CREATE SEQUENCE column_reading_id_seq START 1;
CREATE TABLE column_readings (
    reading_id   INTEGER PRIMARY KEY DEFAULT nextval('column_reading_id_seq'),
    kind         VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,   -- layout | header
    layout       VARCHAR,            -- headers.layout_key (scope layout)
    column_index INTEGER,            -- the column's place in that layout (scope layout)
    header       VARCHAR NOT NULL,   -- the header as written
    header_key   VARCHAR NOT NULL,   -- folded (headers.header_key)
    field        VARCHAR,            -- NULL: not used
    saved_at     TIMESTAMP NOT NULL,
    source       VARCHAR NOT NULL    -- page | command
);
