"""A state's store in the app: the district picker (shown only when the store holds more than
one district) and every page keeping to the district picked."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_district import FIGURES, gazetteer, report
from test_pages import (  # noqa: F401 - fixtures are used by name
    APP,
    _release_after,
    app,
    bar_order,
    chart,
    frame,
    metrics,
    ok,
    release,
    subtitle,
    texts,
)

from samiksha import ingest, store

PICKER = "district_choice"
DARBHANGA, MUZAFFARPUR = "230", "231"
MUZAFFARPUR_BLOCKS = ["Saraiya", "Kanti", "Paroo"]  # best % first
PAGES = ["pages/overview.py", "pages/blocks.py", "pages/map.py", "pages/reporting.py", "pages/campaign.py",
         "pages/shg.py", "pages/workers.py", "pages/upload.py", "pages/settings.py"]


@pytest.fixture
def state_store(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "state.duckdb"
    con = store.open_store(str(path))
    for data, name, options in ((gazetteer(), "bihar_lgd.csv", {"kind": "gazetteer"}),
                                (report(), "state_27.csv", {"indicator": "ayushman_cards"}),
                                (report(("Biraul", "Kanti"), day="28.05.2025"), "state_28.csv",
                                 {"indicator": "ayushman_cards"})):
        result = ingest.ingest_file(con.cursor(), data, name, files=store.files_dir(str(path)), **options)
        assert result.status == "stored", result.refusal and result.refusal.text()
    con.close()
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    return path


def picker(at):
    return at.selectbox(key=PICKER)


def opened(page: str, **params) -> AppTest:
    """A page opened from an address with query parameters (?district=...)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "en"
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    return ok(at.run())


def test_no_picker_on_a_store_of_one_district(demo_store):
    at = ok(app(page="pages/blocks.py"))
    assert not [s for s in at.selectbox if s.key == PICKER]


def test_the_picker_offers_all_districts_and_each_by_name(state_store):
    at = ok(app(page="pages/blocks.py"))
    assert picker(at).label == "District"
    assert picker(at).options == ["All districts (2)", "Darbhanga", "Muzaffarpur"]
    assert picker(at).value is None  # no Settings district: the whole store
    assert len(bar_order(chart(at, "block_chart"))) == len(FIGURES)
    release()
    hindi = ok(app(lang="hi", page="pages/blocks.py"))
    assert hindi.selectbox(key=f"{PICKER}_hi").options == ["सभी जिले (2)", "दरभंगा", "मुजफ्फरपुर"]


def test_picking_a_district_keeps_the_blocks_page_to_it(state_store):
    at = ok(app(page="pages/blocks.py"))
    picker(at).set_value(MUZAFFARPUR)
    ok(at.run())
    assert bar_order(chart(at, "block_chart")) == MUZAFFARPUR_BLOCKS
    assert list(frame(at, "Rank")["Block"]) == MUZAFFARPUR_BLOCKS
    assert subtitle(chart(at, "block_chart")).startswith("Muzaffarpur")
    assert at.query_params["district"] == MUZAFFARPUR


def test_the_overview_adds_up_the_district_picked(state_store):
    at = ok(app())
    picker(at).set_value(DARBHANGA)
    ok(at.run())
    assert "Darbhanga" in at.title[0].value
    shown = metrics(at)
    # Darbhanga on 28-05: Biraul 800 (reported again), Ghanshyampur 100 kept: 900 of 1,500
    assert any(value == "900" for value in shown.values()), shown
    assert not any(value == "2,340" for value in shown.values())


def test_the_district_in_the_address_opens_with_it_and_holds_across_pages(state_store):
    at = opened(district=MUZAFFARPUR, page="pages/reporting.py")
    assert picker(at).value == MUZAFFARPUR
    shown = texts(at)
    # 28-05: of Muzaffarpur's blocks only Kanti reported; Biraul (Darbhanga) is not listed
    assert "Saraiya" in shown and "Paroo" in shown and "Biraul" not in shown
    at.switch_page("pages/blocks.py")
    ok(at.run())
    assert picker(at).value == MUZAFFARPUR
    assert bar_order(chart(at, "block_chart")) == MUZAFFARPUR_BLOCKS


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_a_district_picked(state_store, page):
    at = opened(district=DARBHANGA, page=page)
    assert picker(at).value == DARBHANGA


def test_a_state_sized_list_is_shown_not_refused():
    """A state's Workers page lists tens of thousands of workers: more cells than pandas styles
    by default (262,144) must still be shown, formatted."""
    def script():
        import pandas as pd

        from pages import _shared as ui

        rows = 40_000
        frame = pd.DataFrame({"worker_id": [f"W{n}" for n in range(rows)], "block": ["Kanti"] * rows,
                              "cards_7d": range(rows), "cards_total": [n * 1000 for n in range(rows)],
                              "panchayat": ["Rewa"] * rows, "supervisor": ["Anita"] * rows,
                              "id_active": [True] * rows})
        ui.show_sortable(frame, {"worker_id": "text", "block": "text", "panchayat": "text", "supervisor": "text",
                                 "cards_7d": "int", "cards_total": "int", "id_active": "bool"}, key="big")

    at = AppTest.from_function(script, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe[0].value) == 40_000
