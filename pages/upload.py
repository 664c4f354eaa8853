"""Upload & data: check and store reports, confirm place names, see and undo uploads."""

import json

import pandas as pd
import streamlit as st

from pages import _shared as ui
from samiksha import columns, demo, fmt, indicators, ingest, intake, naming, queries, readers, report, store
from samiksha.errors import PAGE, IntakeError
from samiksha.kinds import registry

KINDS = ("", *registry.NAMES)
SHAPE_CHOICES = (("level", "shape_level"), ("name_column", "shape_name"), ("code_column", "shape_code"),
                 ("parent_column", "shape_parent"))
MAX_CONFIRM = 40
PREVIEW_ROWS = 15
PENDING_KEY = "upload_pending"  # {button key: what it acts on}: asked, not yet confirmed
GIVEN_KEY = "upload_given"  # {file's sha256: [columns.Given]}: what the operator said its columns are
EXAMPLES = 3  # values shown beside each column in the column table
NOT_USED = "-"  # the column table's choice for a column that is not used

con = ui.chrome("upload.title", with_district=False)
st.caption(ui.tr("upload.intro"))
operator = ui.access_box()  # viewers see the history; only the operator changes the store
nonce = st.session_state.setdefault(ui.UPLOAD_KEY, 0)


def options_row() -> dict:
    cols = st.columns([1, 1, 1, 1])
    kind_names = {k: ui.tr(f"kind.{k}") if k else ui.tr("upload.kind_auto") for k in KINDS}
    kind = cols[0].selectbox(ui.tr("upload.kind"), KINDS, key=ui.wkey("opt_kind"), format_func=kind_names.get)
    known = sorted(set(indicators.known()) | set(queries.indicators_with_data(con)))
    indicator_names = {k: ui.indicator_name(k, con) if k else ui.tr("upload.indicator_auto") for k in ["", *known]}
    # A scheme not yet known is typed in (a title naming "Ayushman Vay Vandana card" is asked).
    indicator = cols[1].selectbox(ui.tr("upload.indicator"), ["", *known], key=ui.wkey("opt_indicator"),
                                  format_func=lambda k: indicator_names.get(k, k), accept_new_options=True)
    give_date = cols[2].toggle(ui.tr("upload.use_date"), key="opt_use_date")
    report_date = cols[2].date_input(ui.tr("upload.date"), key="opt_date", format="DD-MM-YYYY",
                                     disabled=not give_date, value=fmt.now_ist().date())
    sheet = cols[3].text_input(ui.tr("upload.sheet"), key="opt_sheet").strip()
    return {"kind": kind or None, "indicator": indicator or None,
            "date_if_missing": report_date if give_date else None, "sheet": sheet or None}


def file_options(options: dict, digest: str) -> dict:
    """The page's options, with what the person chose for this boundary file (level, columns)."""
    chosen = {name: st.session_state[f"{key}_{digest}"] for name, key in SHAPE_CHOICES
              if st.session_state.get(f"{key}_{digest}") is not None}
    return {**options, **chosen}


def given_for(digest: str) -> tuple:
    return tuple(st.session_state.get(GIVEN_KEY, {}).get(digest, ()))


def check(files, options) -> list[tuple[ingest.UploadResult, pd.DataFrame | None]]:
    cache = st.session_state.setdefault(ui.CHECKED_KEY, {})
    checked = []
    for file in files:
        data = file.getvalue()
        digest = intake.sha256(data)
        these = {**file_options(options, digest), "given": given_for(digest)}
        key = (file.name, digest, json.dumps(these, default=str))
        if key not in cache:
            cur = ui.cursor()
            result = ingest.check_file(cur, data, file.name, **these)
            preview = result.staged.preview(cur) if result.ok else None
            if result.ok and result.staged.kind != "boundaries":
                intake.drop_staging(cur, result.staged)
            cache[key] = (result, preview)
        checked.append(cache[key])
    return checked


def show_shapes(result: ingest.UploadResult, preview: pd.DataFrame | None) -> None:
    """A boundary file: how it was read, its key columns (the person may choose others) and
    how each shape matched."""
    lang = ui.lang()
    staged = result.staged
    lines = report.shape_lines(staged, lang, where=PAGE)
    st.write(lines[0])
    with st.expander(ui.tr("upload.what_was_read")):
        st.markdown("\n".join(f"- {ui.md(text)}" for text in lines[1:]))
    if result.status == ingest.CHECKED:
        keys, columns, digest = staged.keys, staged.columns, staged.sha256
        cols = st.columns(4)
        levels = ("block", "panchayat")
        cols[0].selectbox(ui.tr("upload.shape_level"), levels, index=levels.index(keys.level),
                          format_func=lambda lv: ui.tr(f"level.{lv}"), key=f"shape_level_{digest}")
        for col, (_, key), current in ((cols[1], SHAPE_CHOICES[1], keys.name), (cols[2], SHAPE_CHOICES[2], keys.code),
                                          (cols[3], SHAPE_CHOICES[3], keys.parent)):
            choices = ["", *columns]
            current = current if current in columns else ""
            col.selectbox(ui.tr(f"upload.{key}"), choices, index=choices.index(current), key=f"{key}_{digest}",
                          format_func=lambda c: c or "—")
    if preview is not None and len(preview):
        st.caption(ui.tr("upload.shapes_preview", count=len(preview)))
        shown = preview.assign(how=[ui.tr(f"how.{h}") for h in preview["how"]])
        ui.show_table(shown, {"feature": "int", "name": "text", "parent": "text", "matched_name": "text",
                              "matched_code": "text", "how": "text"}, key=f"shapes_{staged.sha256}")


def choose_key_columns(refusal, digest: str) -> None:
    """A boundary file none of whose columns could be read as the places' names or codes: the
    person says which (the file is read again with it, as with the choices of a file read)."""
    choices = ["", *refusal.params.get("choices", [])]
    cols = st.columns(4)
    for col, (_, key) in zip(cols[1:3], SHAPE_CHOICES[1:3], strict=True):
        col.selectbox(ui.tr(f"upload.{key}"), choices, key=f"{key}_{digest}", format_func=lambda c: c or "—")


def show_result(result: ingest.UploadResult, preview: pd.DataFrame | None) -> None:
    lang = ui.lang()
    line = report.headline(result, lang, PAGE)
    if not result.ok:
        st.error(line)
        return
    (st.success if result.status == ingest.STORED else st.info)(line)
    staged = result.staged
    if staged.kind == "boundaries":
        show_shapes(result, preview)
        return
    st.write(report.counts(staged, lang))
    for warning in report.file_warnings(staged):  # said whole, not in a table cell
        st.warning(warning.text(lang, PAGE), icon=":material/warning:")
    if result.status == ingest.CHECKED:
        column_table(staged)
    for replaced in report.replaced_lines(result, lang):
        st.write("↺ " + replaced)
    with st.expander(ui.tr("upload.what_was_read")):
        st.markdown("\n".join(f"- {ui.md(text)}" for text in report.reading_lines(staged, lang, PAGE)))
    if preview is not None and len(preview):
        st.caption(ui.tr("upload.preview", rows=min(len(preview), PREVIEW_ROWS)))
        ui.show_table(preview.head(PREVIEW_ROWS), {"row_number": "text", "report_date": "date",
                                "block_written": "text", "block": "text",
                                "panchayat_written": "text", "panchayat": "text", "channel": "text", "camp_site": "text",
                                "target": "int", "achieved_today": "int", "achieved": "int",
                                "deadline": "date", "level": "text", "code": "text", "name": "text",
                                "name_hi": "text", "register_date": "date", "shg_code": "text", "shg_name": "text",
                                "members": "int", "last_meeting": "date", "savings": "int",
                                "last_saving_date": "date", "overdue": "int", "status": "text",
                                "roster_date": "date", "output_date": "date", "worker_id": "text", "worker_name": "text",
                                "role": "text", "id_active": "bool", "trained": "bool", "training_date": "date",
                                "supervisor": "text", "cards": "int"}, static=True)
    names = report.match_lines(result, lang)
    if names:
        st.caption(ui.tr("upload.names"))
        st.markdown("\n".join(f"- {ui.md(text)}" for text in names))
    problems = [i for i in staged.issues if i.severity == "rejected" or (i.severity == "warning" and i.row is not None)]
    st.caption(ui.tr("upload.problems"))
    if problems:
        frame = pd.DataFrame([{
            "severity": ui.tr(f"severity.{i.severity}"), "row": i.row, "column": i.column or "",
            "value": i.value or "", "problem": i.message(lang, PAGE)} for i in problems])
        ui.show_table(frame, {"severity": "text", "row": "int", "column": "text", "value": "text",
                              "problem": "text"})
    else:
        st.write(ui.tr("upload.no_problems"))


def column_table(staged: intake.Staged) -> None:
    """Each column of the file with what it was read as; the operator may change any (a field,
    or not used) and check again. A column in doubt must be said before the file can be
    stored; what is said is remembered for files of this layout and for that header."""
    header, digest = staged.header, staged.sha256
    asked = {q.column for q in staged.questions}
    fields = [spec.name for spec in registry.get(staged.kind).FIELDS]
    names = {NOT_USED: ui.tr("field.not_used"), **{name: ui.tr(f"field.{name}") for name in fields}}
    below = staged.grid.head[header.row_index + header.rows_used:][:EXAMPLES]
    shown = [col for col in header.columns if header.labels[col.index]]
    with st.expander(ui.tr("upload.columns_title", count=len(shown), asked=len(asked)), expanded=bool(asked)):
        if asked:
            st.warning(ui.tr("upload.columns_asked", count=len(asked)), icon=":material/help:")
        st.caption(ui.tr("upload.columns_help"))
        operator = ui.is_operator()
        chosen = {}
        cells = st.columns(3)
        for n, col in enumerate(shown):
            label = header.labels[col.index]
            examples = " · ".join(str(row[col.index]) for row in below if col.index < len(row) and row[col.index])
            day = header.date_columns.get(col.index)
            how = "asked" if col.index in asked else col.how
            title = ("❓ " if col.index in asked else "") + label
            note = ui.tr("upload.column_note", how=ui.tr(f"upload.how_{how}"), examples=examples or "—")
            where = cells[n % 3]
            if day is not None:  # one column per day: read by its date, not a choice
                where.text_input(title, ui.tr("upload.column_day", date=fmt.date(day)), disabled=True, help=note,
                                 key=ui.wkey(f"colday_{digest}_{col.index}"))
                continue
            current = col.field if col.field in names else NOT_USED
            options = list(names)
            chosen[col.index] = where.selectbox(title, options, index=options.index(current), format_func=names.get,
                                                key=ui.wkey(f"col_{digest}_{col.index}"), help=note,
                                                disabled=not operator)
        if operator and st.button(ui.tr("upload.check_again"), key=f"recheck_{digest}", icon=":material/refresh:"):
            said = {g.column: g for g in given_for(digest) if g.column is not None}
            for col in shown:
                if col.index not in chosen:
                    continue
                before = col.field if col.field in names else NOT_USED
                if chosen[col.index] != before or col.index in asked:
                    field = None if chosen[col.index] == NOT_USED else chosen[col.index]
                    said[col.index] = columns.Given(field, column=col.index)
            st.session_state.setdefault(GIVEN_KEY, {})[digest] = list(said.values())
            st.session_state[ui.CHECKED_KEY] = {}
            st.rerun()


# Streamlit 1.67 draws the uploader's button ("Upload"), its limit ("200MB per file") and, while
# files are dragged over it, "Drag and drop files here" in English, with no parameter to change
# them: in another language the page's own words are put in their place (the English text is
# sized 0, the words drawn after it). The caption under the uploader says the same.
UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stFileUploaderDropzone"] > div:not([data-testid]) span
{font-size: 0 !important;}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after
{content: BUTTON; font-size: 0.875rem;}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {content: LIMIT; font-size: 0.875rem;}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) span::after {content: DROP; font-size: 0.875rem;}
</style>"""


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def uploader_words() -> str:
    words = {"BUTTON": ui.tr("upload.browse"), "LIMIT": ui.tr("upload.per_file", limit=readers.MAX_UPLOAD_MB),
             "DROP": ui.tr("upload.drop_here")}
    css = UPLOADER_CSS
    for name, text in words.items():
        css = css.replace(f"content: {name};", f"content: {css_string(text)};")
    return css


def upload_section() -> None:
    options = options_row()
    translated = ui.lang() != "en"  # the uploader's own words (its button, "200MB per file") are Streamlit's English
    if translated:
        st.markdown(uploader_words(), unsafe_allow_html=True)
    files = st.file_uploader(ui.tr("upload.files"), accept_multiple_files=True, key=f"uploader_{nonce}",
                             max_upload_size=readers.MAX_UPLOAD_MB, help=ui.tr("upload.files_help"))
    if translated:
        st.caption(ui.tr("upload.how_to_choose"))
    st.caption(ui.tr("upload.size_limit", limit=readers.MAX_UPLOAD_MB))
    for result, preview in st.session_state.get(ui.RESULTS_KEY, []):
        with st.container(border=True):
            show_result(result, preview)
    if not files:
        return
    checked = check(files, options)
    for file, (result, preview) in zip(files, checked, strict=True):
        with st.container(border=True):
            show_result(result, preview)
            if not result.ok and result.refusal.code == "boundary_no_names":
                choose_key_columns(result.refusal, intake.sha256(file.getvalue()))
    storable = [f for f, (result, _) in zip(files, checked, strict=True)
                if result.ok and not (result.staged.kind != registry.BOUNDARIES and result.staged.questions)]
    if not storable:
        st.warning(ui.tr("upload.nothing_to_store"))
        return
    demo_uploads = demo.demo_uploads(con)
    if demo_uploads:  # the command line says the same (cli.demo_in_store)
        st.warning(ui.tr("upload.demo_mixes", uploads=demo_uploads), icon=":material/science:")
    if st.button(ui.tr("upload.store", count=len(storable)), type="primary", key="store_files"):
        store_files(storable, options)


def store_files(files, options) -> None:
    bar = st.progress(0.0)
    results = []
    path = ui.db_path()
    for n, file in enumerate(files, start=1):
        bar.progress((n - 1) / len(files), text=ui.tr("upload.reading", file=file.name, n=n, total=len(files)))
        data = file.getvalue()
        try:
            digest = intake.sha256(data)
            result = ingest.ingest_file(ui.cursor(), data, file.name, files=store.files_dir(path),
                                        given=given_for(digest), given_by="page", **file_options(options, digest))
        except IntakeError as exc:  # the store cannot be written (disk full, read-only): nothing of it kept
            bar.empty()
            for done, _ in results:
                st.success(report.headline(done, ui.lang(), PAGE))
            st.error(exc.issue.text(ui.lang(), PAGE))
            return
        results.append((result, None))
    bar.progress(1.0)
    st.session_state[ui.RESULTS_KEY] = results
    st.session_state[ui.UPLOAD_KEY] = nonce + 1
    st.session_state[ui.CHECKED_KEY] = {}
    st.session_state[GIVEN_KEY] = {}
    st.rerun()


def confirm_section() -> None:
    st.subheader(ui.tr("upload.unmatched_title"))
    if not store.scalar(con, "SELECT count(*) FROM places_current"):
        st.info(ui.tr("upload.no_gazetteer"))
        return
    pending = ingest.unmatched_names(con)
    if not pending:
        st.success(ui.tr("upload.all_matched"))
        return
    st.caption(ui.tr("upload.unmatched_intro"))
    with st.form("confirm_names"):
        choices = []
        for n, item in enumerate(pending[:MAX_CONFIRM]):
            options = place_options(item)
            label = ui.tr("upload.choose_place", level=ui.tr(f"level.{item['level']}"), name=item["written"],
                          rows=int(item["rows"] or 0))
            choice = st.selectbox(label, list(options), format_func=options.get, key=f"confirm_{n}")
            choices.append((item, choice))
        if st.form_submit_button(ui.tr("upload.confirm"), type="primary"):
            for item, choice in choices:
                if choice is None:
                    continue
                try:
                    rows = ingest.confirm_name(con, item["level"], item["written"], item["parent_code"], choice)
                except IntakeError as exc:  # the store cannot be written
                    st.error(exc.issue.text(ui.lang(), PAGE))
                    return
                place = ui.tr("upload.keep_as_written") if choice == "" else options_name(item, choice)
                st.toast(ui.tr("upload.confirmed", name=item["written"], place=place, rows=rows))
            st.rerun()


def check_section() -> None:
    """Names matched with no person saying so (a close spelling, or a gazetteer that came after
    the file): confirmed or rejected here, never left silent."""
    listed = naming.to_check(con)
    if not listed:
        return
    st.subheader(ui.tr("upload.check_title"))
    st.caption(ui.tr("upload.check_intro"))
    answers = {"": ui.tr("upload.check_leave"), "right": ui.tr("upload.check_right"),
               "wrong": ui.tr("upload.check_wrong")}
    with st.form("check_names"):
        chosen = []
        for n, item in enumerate(listed[:MAX_CONFIRM]):
            how = ui.tr("upload.check_later") if item["later"] else \
                ui.tr("upload.check_spelling", score=fmt.number(item["score"] or 0))
            label = ui.tr("upload.check_item", name=item["written"], place=f"{item['name']} ({item['code']})", how=how,
                          rows=fmt.number(int(item["rows"] or 0)))
            chosen.append((item, st.radio(label, list(answers), format_func=answers.get, horizontal=True,
                                          key=f"check_{n}")))
        if st.form_submit_button(ui.tr("upload.check_save")):
            for item, answer in chosen:
                if answer == "right":
                    ingest.confirm_name(con, item["level"], item["written"], item["parent_code"], item["code"])
                    st.toast(ui.tr("upload.confirmed", name=item["written"], place=item["name"], rows=int(item["rows"] or 0)))
                elif answer == "wrong":
                    rows = naming.reject_match(con, item["level"], item["written"], item["parent_code"], item["code"])
                    st.toast(ui.tr("upload.check_rejected", name=item["written"], place=item["name"], rows=rows))
            st.rerun()


def place_options(item: dict) -> dict:
    """Suggestions first, then every place of that level within the parent, then 'as written'."""
    options = {None: "—"}
    for name, code, _ in json.loads(item["candidates"] or "[]"):
        options[code] = f"{name} ({code})"
    rows = con.execute("SELECT code, name, name_hi FROM places_current WHERE level = $level AND "
                       "($parent IS NULL OR parent_code = $parent) ORDER BY name",
                       {"level": item["level"], "parent": item["parent_code"]}).fetchall()
    for code, name, name_hi in rows:
        options.setdefault(code, f"{name}" + (f" / {name_hi}" if name_hi else "") + f" ({code})")
    options[""] = ui.tr("upload.keep_as_written")
    return options


def options_name(item: dict, code: str) -> str:
    return place_options(item).get(code, code)


def confirmed(key: str, target, label: str, question: str, yes: str) -> bool:
    """True once the person clicked `label` and then `yes` under the `question` (an action that
    removes or undoes never runs on one click). Cancel, or a different `target` chosen since
    (another upload), forgets the request."""
    pending = st.session_state.setdefault(PENDING_KEY, {})
    if key in pending and pending[key] != target:
        del pending[key]
    if key not in pending:
        if st.button(label, key=key):
            pending.clear()  # one question at a time
            pending[key] = target
            st.rerun()
        return False
    with st.container(border=True):
        st.warning(question, icon=":material/help:")
        yes_column, cancel_column = st.columns([2, 1])
        if yes_column.button(yes, type="primary", key=f"{key}_yes"):
            del pending[key]
            return True
        if cancel_column.button(ui.tr("upload.cancel"), key=f"{key}_cancel"):
            del pending[key]
            st.rerun()
    return False


def written(action, *args):
    """The action's answer; None (and the reason shown) when the store cannot be written."""
    try:
        return action(*args)
    except IntakeError as exc:  # disk full, read-only store
        st.error(exc.issue.text(ui.lang(), PAGE))
        return None


def history_section() -> None:
    st.subheader(ui.tr("upload.history"))
    rows = ingest.uploads(con)
    if not rows:
        return
    frame = pd.DataFrame(rows)
    frame["status"] = frame["status"].map(lambda s: ui.tr(f"status.{s}"))
    frame["indicator"] = frame["indicators"].map(
        lambda keys: ", ".join(ui.indicator_name(k) for k in keys.split(", ")) if isinstance(keys, str) else "")
    frame["kind"] = frame["kind"].map(lambda k: ui.tr(f"kind.{k}"))
    frame["report_date"] = [fmt.date(r["report_date"]) if r["report_date"] else
                            (f"{fmt.date(r['date_from'])} – {fmt.date(r['date_to'])}" if r["date_from"] else "")
                            for r in rows]
    history_columns = {"upload_id": "text", "file_name": "text", "kind": "text", "indicator": "text",
                       "report_date": "text", "uploaded_at": "datetime", "rows_accepted": "int",
                       "rows_warned": "int", "rows_rejected": "int", "status": "text"}
    ui.show_table(frame, history_columns, key="history")
    ui.download_excel({ui.tr("upload.sheet_history"): frame}, history_columns,
                      file_name=f"{ui.tr('upload.file_history')}_{fmt.date(fmt.now_ist())}.xlsx", key="history_excel")
    labels = {r["upload_id"]: f"#{r['upload_id']} · {r['file_name']}" for r in rows}
    chosen = st.selectbox(ui.tr("upload.upload_details"), list(labels), format_func=labels.get, key="detail_id")
    row = next(r for r in rows if r["upload_id"] == chosen)
    issues = ingest.upload_issues(con, chosen)
    problems = [i for i in issues if i.severity in ("rejected", "warning")]
    if problems:
        frame = pd.DataFrame([{"severity": ui.tr(f"severity.{i.severity}"), "row": i.row, "column": i.column or "",
                               "value": i.value or "", "problem": i.message(ui.lang(), PAGE)} for i in problems])
        ui.show_table(frame, {"severity": "text", "row": "int", "column": "text", "value": "text", "problem": "text"},
                      key="detail_issues")
    else:
        st.write(ui.tr("upload.no_problems"))
    if not operator:
        return
    if row["status"] == ingest.STORED:
        asked = ui.tr("upload.undo_ask", upload=chosen, file=row["file_name"], rows=int(row["rows_accepted"] or 0))
        if confirmed("undo", chosen, ui.tr("upload.undo"), asked, ui.tr("upload.undo_yes", upload=chosen)) \
                and written(ingest.undo, con, chosen):
            st.toast(ui.tr("upload.undone", upload=chosen))
            st.rerun()
    elif st.button(ui.tr("upload.restore"), key="restore") and written(ingest.restore, con, chosen):
        st.toast(ui.tr("upload.restored", upload=chosen))
        st.rerun()


def demo_section() -> None:
    count = demo.demo_uploads(con)
    st.subheader(ui.tr("upload.demo_title"))
    if count:
        st.write(ui.tr("upload.demo_present", uploads=count))
        if confirmed("demo_clear", count, ui.tr("upload.demo_clear"), ui.tr("upload.demo_clear_ask", uploads=count),
                     ui.tr("upload.demo_clear_yes", uploads=count)):
            removed = written(demo.clear, con)
            if removed is not None:
                st.toast(ui.tr("upload.demo_cleared", uploads=removed))
                st.rerun()
    elif st.button(ui.tr("upload.demo_load"), key="demo_load") and \
            written(lambda: demo.load(con, files=store.files_dir(ui.db_path())) or True):
        st.rerun()


if operator:
    upload_section()
    st.divider()
    confirm_section()
    check_section()
    st.divider()
history_section()
if operator:
    st.divider()
    demo_section()
