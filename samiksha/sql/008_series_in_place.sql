-- 008: the progress series are worked out again only where an upload or an undo touched them.
-- series_marks keeps every upload's status as the series were last made (an upload added, undone,
-- restored or removed since then is a change); series_state.base the views and place names they
-- were made with (when either changed, the whole store is worked out again).
CREATE TABLE series_marks (
    upload_id INTEGER,
    status    VARCHAR
);
ALTER TABLE series_state ADD COLUMN base VARCHAR;
