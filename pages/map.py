"""Map: where coverage is weak. A block or panchayat map of a chosen measure, the places
that did not join (figures without a shape, shapes without figures), a place's details on
click, and the table of how each shape was matched (the operator corrects it here)."""

import pandas as pd
import streamlit as st

from pages import _shared as ui
from samiksha import figures, fmt, maps, settings, shapes, shg
from samiksha.errors import PAGE, IntakeError
from samiksha.kinds import households

MEASURE_KEY = "map_measure_value"
LEVEL_KEY = "map_level_value"
PLACE_KEY = "map_place"  # the place last clicked: (level, block, place)
NO_PLACE = "__none__"

con = ui.chrome("map.title")
ui.guard_data(con)
levels = maps.available_levels(con)
if not levels:
    ui.nothing_yet("map.no_boundaries", "map.how_to_add")

indicator, as_of, spare = ui.pickers(con)
left, right = spare.columns([1, 2])
level_names = {lv: ui.tr(f"map.level_{lv}") for lv in levels}
saved_level = st.session_state.get(LEVEL_KEY)
level = left.radio(ui.tr("map.level"), levels, format_func=level_names.get, key=ui.wkey("map_level"),
                   index=levels.index(saved_level) if saved_level in levels else len(levels) - 1)
st.session_state[LEVEL_KEY] = level
offered = maps.measures(con)
measure_names = {m: ui.tr(f"map.measure_{m}")[:1].upper() + ui.tr(f"map.measure_{m}")[1:] for m in offered}
saved_measure = st.session_state.get(MEASURE_KEY, "pct")
measure = right.selectbox(ui.tr("map.measure"), offered, format_func=measure_names.get,
                          index=offered.index(saved_measure) if saved_measure in offered else 0,
                          key=ui.wkey("map_measure"))
st.session_state[MEASURE_KEY] = measure


@st.cache_data(show_spinner=False, max_entries=64)
def _map_data(path: str, version: str, indicator: str, as_of, level: str, lang: str, minimum: float,
              district: str | None):
    from samiksha import queries

    cur = ui.cursor()
    return maps.build(cur, indicator, as_of, level, queries.place_labels(cur, lang), minimum, district)


minimum = settings.panchayat_minimum(con)
data = _map_data(ui.db_path(), ui.data_version(con), indicator, as_of, level, ui.lang(), minimum,
                 ui.district())
limits = settings.thresholds(con)
ctx = shg.context(con, as_of, ui.lang(), ui.district()) if measure in maps.SHG_MEASURES \
    else households.context(con, as_of, ui.lang(), ui.district()) if measure in maps.HOUSEHOLD_MEASURES \
    else ui.figure_context(con, indicator, as_of)
map_column, side = st.columns([3, 1])


def _place_index(saved) -> int | None:
    """The row of the place last clicked (kept across reruns and redraws), if on this map."""
    if not saved or saved[0] != level:
        return None
    keys = list(zip(data.places["block"].fillna(""), data.places["place"].fillna(""),
                    data.places["written"].fillna(""), strict=True))
    wanted = tuple(v or "" for v in saved[1:])
    return keys.index(wanted) if wanted in keys else None


with map_column:
    event = ui.show_figure(maps.place_map(data, measure, ctx, limits,
                                          highlight=_place_index(st.session_state.get(PLACE_KEY))),
                           key="place_map", select=True)
    st.caption(ui.tr("map.help"))
with side:
    if not ui.meeting():  # how the shapes matched: the operator's business
        st.metric(ui.tr("map.matched"), f"{fmt.number(data.matched)} / {fmt.number(data.total)}",
                  help=ui.tr("map.matched_help"))
    st.markdown(f"**{ui.tr('map.no_shape_title', count=len(data.no_shape))}**")
    if data.no_shape.empty:
        st.caption(ui.tr("map.none"))
    else:
        no_shape_columns = {"place": "text", "block": "text", "achieved": "int"}
        if level == "block":
            no_shape_columns.pop("block")
        ui.show_table(data.no_shape, no_shape_columns, key="no_shape")
        ui.download_excel({ui.tr("map.sheet_no_shape"): data.no_shape}, no_shape_columns,
                          file_name=f"{ui.tr('map.file_no_shape')}_{fmt.date(as_of)}.xlsx", key="no_shape_excel")
        st.caption(ui.tr("map.no_shape_hint"))
    st.markdown(f"**{ui.tr('map.no_data_title', count=len(data.no_data))}**")
    if data.no_data.empty:
        st.caption(ui.tr("map.none"))
    else:
        frame = data.no_data.assign(how=[ui.tr(f"how.{h}") for h in data.no_data["how"]])
        columns = {"written": "text", "place": "text", "block": "text", "how": "text"}
        if level == "block":
            columns.pop("block")
        ui.show_table(frame, columns, key="no_data")
        ui.download_excel({ui.tr("map.sheet_no_data"): frame}, columns,
                          file_name=f"{ui.tr('map.file_no_data')}_{fmt.date(as_of)}.xlsx", key="no_data_excel")

# --- the place clicked ------------------------------------------------------------------
points = (event or {}).get("selection", {}).get("points", []) if event else []
chosen = None
for point in points:
    index = point.get("customdata", point.get("point_index"))
    if isinstance(index, list):
        index = index[0]
    if isinstance(index, int) and 0 <= index < len(data.places):
        chosen = data.places.iloc[index]
        break
if chosen is not None:
    clicked = (level, chosen["block"], chosen["place"], chosen["written"])
    if clicked != st.session_state.get(PLACE_KEY):
        st.session_state[PLACE_KEY] = clicked
        st.rerun()  # drawn again with the place outlined
index = _place_index(st.session_state.get(PLACE_KEY))
if index is not None:
    row = data.places.iloc[index]
    st.subheader(row["label"] + (f" · {ui.tr('map.hover_block', block=row['block_label'])}"
                                 if level == "panchayat" and row["block_label"] else ""))
    if not row["has_data"]:
        st.info(ui.tr("map.hover_no_data"))
    else:
        cells = st.columns(6)
        cells[0].metric(ui.tr("overview.target"), fmt.number(row["target"]) if not fmt.missing(row["target"])
                        else ui.tr("figure.no_target"))
        cells[1].metric(ui.tr("overview.achieved"), fmt.number(row["achieved"]))
        cells[2].metric(ui.tr("overview.pct"), fmt.pct(row["pct"]),
                        help=figures.status_name(row["status"], ui.lang(), limits))
        cells[3].metric(ui.tr("col.gap"), fmt.number(row["gap"]))
        cells[4].metric(ui.tr("col.achieved_today"), fmt.number(row["achieved_today"]))
        under = row["below_minimum"]
        cells[5].metric(ui.tr("map.under_minimum", minimum=fmt.number(minimum)),
                        (ui.tr("table.yes") if under else ui.tr("map.no")) if level == "panchayat"
                        else fmt.number(under))
    if not ui.meeting():
        st.caption(ui.tr("map.matched_how", written=row["written"] or "—", how=ui.tr(f"how.{row['how']}")))
else:
    st.caption(ui.tr("map.click_hint"))

# --- the match table: how each shape was matched; the operator corrects it ------------------
if ui.meeting():
    st.stop()  # the operator's panel: not on a meeting's shared screen
st.divider()
st.subheader(ui.tr("map.matches_title"))
match_level = level if level in shapes.levels(con) else "panchayat"
matches = ui.query(con, "boundary_matches", level=match_level)
st.caption(ui.tr("map.matches_intro", level=ui.tr(f"level.{match_level}"), count=len(matches)))
only_doubtful = st.toggle(ui.tr("map.only_doubtful"), value=True, key="only_doubtful")
shown = matches[matches["how"].isin(["fuzzy", "unmatched"])] if only_doubtful else matches
places = con.execute("""SELECT p.code, p.name, b.name FROM places_current p
                        LEFT JOIN places_current b ON b.level = 'block' AND b.code = p.parent_code
                        WHERE p.level = $level ORDER BY b.name, p.name""", {"level": match_level}).fetchall()
choice_label = {NO_PLACE: ui.tr("map.no_place")}
for code, name, block in places:
    choice_label[code] = f"{name} ({block}) · {code}" if match_level == "panchayat" and block else f"{name} · {code}"
if shown.empty:
    st.success(ui.tr("map.all_sure"))
elif not places or not ui.is_operator():
    st.info(ui.tr("map.no_gazetteer" if not places else "map.operator_corrects"))
    ui.show_table(shown, {"name": "text", "parent_written": "text", "matched_name": "text", "how": "text"},
                  key="match_table")
else:
    editor_frame = pd.DataFrame({
        "name": [fmt.DASH if fmt.missing(v) or v == "" else v for v in shown["name"]],
        "parent": [fmt.DASH if fmt.missing(v) or v == "" else v for v in shown["parent_written"]],
        "how": [ui.tr(f"how.{h}") for h in shown["how"]],
        "place": [choice_label.get(c, choice_label[NO_PLACE]) if isinstance(c, str) else choice_label[NO_PLACE]
                  for c in shown["matched_code"]],
        "confirm": [False] * len(shown),
    })
    edited = st.data_editor(
        editor_frame, hide_index=True, width="stretch", key=ui.wkey(f"match_editor_{match_level}"), placeholder=fmt.DASH,
        disabled=["name", "parent", "how"],
        column_config={"name": ui.tr("map.col_written"), "parent": ui.tr("map.col_parent"),
                       "how": ui.tr("map.col_how"),
                       "confirm": st.column_config.CheckboxColumn(ui.tr("map.col_confirm")),
                       "place": st.column_config.SelectboxColumn(ui.tr("map.col_place"),
                                                                 options=list(choice_label.values()), required=True)})
    by_label = {label: code for code, label in choice_label.items()}
    if st.button(ui.tr("map.save_matches"), type="primary", key="save_matches"):
        saved_count = 0
        for (_, before), after, ticked in zip(shown.iterrows(), edited["place"], edited["confirm"], strict=True):
            code = by_label.get(after)
            old = before["matched_code"] if isinstance(before["matched_code"], str) else NO_PLACE
            if code is None or (code == old and not ticked):  # neither changed nor confirmed as it is
                continue
            try:
                shapes.confirm(con, match_level, before["name"], before["parent_code"]
                               if isinstance(before["parent_code"], str) else None,
                               None if code == NO_PLACE else code)
                saved_count += 1
            except IntakeError as exc:
                st.error(exc.issue.text(ui.lang(), PAGE))
        st.toast(ui.tr("map.saved_matches", count=saved_count))
        st.rerun()
