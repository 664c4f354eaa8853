"""No table on any page shows "None", "nan", "NaT" or "<NA>": a cell with no value shows the
empty-value sign (fmt.DASH). Read as the grid draws it: a missing value shows the table's
placeholder (the grid's own is "None", whatever a format says), any other value its
formatted text. Through AppTest on the demo district, every page, English and Hindi.

The helpers and fixtures are those of test_pages.py (the demo store is built once per run).
"""


from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest
from test_pages import APP, ok, release

from samiksha import fmt

PAGES = ("overview", "blocks", "campaign", "map", "shg", "reporting", "workers", "upload", "settings")
RAW = re.compile(r"(^|[\s;,(])(None|nan|NaN|NaT|<NA>)($|[\s;,)])")


@pytest.fixture(autouse=True)
def _release_after():
    yield
    release()


GAPS = (  # a block no gazetteer knows, with no target, reporting on one day of the drive and on the last day
    ("Ayushman card daily report dated 21/05/2025\nBlock,Panchayat,Achieved Today,Cumulative Achieved\n"
     "Nayagaon,Nayagaon Uttar,10,10\n", "nayagaon_21.csv"),
    ("Ayushman card daily report dated 30/05/2025\nBlock,Panchayat,Achieved Today,Cumulative Achieved\n"
     "Nayagaon,Nayagaon Uttar,5,60\n", "nayagaon_30.csv"),
)


@pytest.fixture
def demo_with_gaps(demo_store):
    """The demo district and a block with no target that reported on two days only: empty
    cells in the tables (no target, %, gap, drive target; days of the drive without a report)."""
    from samiksha import ingest, naming, store

    con = store.open_store(str(demo_store))
    for text, name in GAPS:
        result = ingest.ingest_file(con.cursor(), text.encode(), name)
        assert result.ok
    # No gazetteer block: a person keeps it as a block of its own (else it is pending, in no table).
    [block] = [m for m in result.staged.matches if m.level == "block"]
    naming.confirm_name(con, "block", block.written, block.parent_code, "")
    con.close()
    return demo_store


def page_app(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    return ok(at.run())


def grid_cells(element) -> tuple[list[str], int]:
    """What the grid shows in each cell of a st.dataframe / st.data_editor, and how many of
    its cells have no value."""
    proto = element.proto
    raw = element.value
    styled = proto.arrow_data.styler.display_values
    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(styled) if styled else None
    placeholder = proto.placeholder if proto.HasField("placeholder") else "None"  # the grid's own
    cells, empty = [], 0
    for i in range(len(raw)):
        for j in range(raw.shape[1]):
            value = raw.iat[i, j]
            if fmt.missing(value):
                empty += 1
                cells.append(placeholder)
            else:
                cells.append(str(shown.iat[i, j]) if shown is not None else str(value))
    return cells, empty


def test_the_cell_reading_sees_the_grids_none():
    """The reading below is no formality: a table without the placeholder shows "None"."""
    from streamlit.testing.v1 import AppTest as Harness

    script = ("import pandas as pd, streamlit as st\n"
              "st.dataframe(pd.DataFrame({'a': [1.0, None], 'b': ['x', None]}), key='bare')\n"
              "st.dataframe(pd.DataFrame({'a': [1.0, None], 'b': ['x', None]}), key='dashed', placeholder='—')\n")
    at = Harness.from_string(script).run()
    bare, dashed = (grid_cells(e) for e in at.dataframe)
    assert bare == (["1.0", "x", "None", "None"], 2)
    assert dashed == (["1.0", "x", "—", "—"], 2)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_no_table_shows_none_nan_or_nat(demo_with_gaps, lang):
    missing_seen = 0
    tables = 0
    for page in PAGES:
        at = page_app(page, lang)
        for element in [*at.dataframe]:
            tables += 1
            cells, empty = grid_cells(element)
            missing_seen += empty
            raw = [c for c in cells if RAW.search(c)]
            assert not raw, f"{page}: table {element.key or '?'} shows {raw[:5]}"
        for element in at.table:
            tables += 1
            frame = element.value
            values = [str(v) for v in frame.reset_index().to_numpy().ravel() if not fmt.missing(v)]
            assert not any(fmt.missing(v) for v in frame.to_numpy().ravel()), f"{page}: an empty cell in a table"
            assert not [v for v in values if RAW.search(v)], f"{page}: {[v for v in values if RAW.search(v)][:5]}"
    assert tables > 10
    assert missing_seen > 0, "no table has an empty cell: this test would prove nothing"


def test_a_missing_text_or_flag_in_a_table_shows_the_dash(demo_store):
    """Text and yes/no columns: their empty cells show the dash too (the upload history's
    indicator of a gazetteer, a worker's missing supervisor)."""
    from pages import _shared as ui

    assert ui.FORMATTERS["text"](None) == fmt.DASH
    assert ui.FORMATTERS["text"](pd.NA) == fmt.DASH
    assert ui.FORMATTERS["text"](float("nan")) == fmt.DASH
    assert ui.FORMATTERS["text"]("") == fmt.DASH
    assert ui.FORMATTERS["text"]("Musahari") == "Musahari"
    assert ui.FORMATTERS["date"](pd.NaT) == fmt.DASH
    assert ui.FORMATTERS["bool"](None) == fmt.DASH


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_long_texts_in_tables_wrap_instead_of_being_cut(demo_store, lang):
    """An SHG's reasons (up to 136 characters in the demo) are drawn in a wide column with
    rows tall enough for them to wrap; a table of short texts keeps its one-line rows."""
    import json
    import math

    from pages import _shared as ui

    at = page_app("shg", lang)
    wide = 0
    for element in at.dataframe:
        frame = element.value
        config = json.loads(element.proto.columns or "{}")
        row = element.proto.row_height if element.proto.HasField("row_height") else None
        for column in frame.columns:
            texts = [str(v) for v in frame[column] if isinstance(v, str)]
            longest = max((len(v) for v in texts), default=0)
            if longest <= ui.LONG_TEXT:
                continue
            wide += 1
            assert config.get(column, {}).get("width") == "large", column
            lines = math.ceil(longest / ui.LINE_CHARS)
            assert lines <= ui.MAX_LINES and row >= 10 + ui.ROW_LINE * lines, (column, longest, row)
        if all(max((len(str(v)) for v in frame[c] if isinstance(v, str)), default=0) <= ui.LONG_TEXT
               for c in frame.columns):
            assert row is None  # nothing long: one line a row
    assert wide >= 2  # the inactive and stagnant lists' reasons
