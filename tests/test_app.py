"""One AppTest per page (and the main actions on them): no exception, key content present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from samiksha import demo, ingest, store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

GAZETTEER = (
    "state_code,state_name,district_code,district_name,block_code,block_name,block_name_hi\n"
    "10,BIHAR,188,ARARIA,1624,ARARIA,अररिया\n"
    "10,BIHAR,188,ARARIA,1625,BHARGAMA,भरगामा\n"
    "10,BIHAR,188,ARARIA,1626,FORBESGANJ,\n"
    "10,BIHAR,188,ARARIA,1629,NARPATGANJ,\n"
).encode()

HINDI_REPORT = (
    "\ufeffअररिया जिला : आयुष्मान कार्ड प्रखंडवार दैनिक प्रतिवेदन दिनांक - 26/05/2025\n"
    "क्रम,प्रखंड,लक्ष्य,आज की उपलब्धि,कुल उपलब्धि,प्रतिशत\n"
    '1,अररिया,"43,000","1,406","10,757",25.0\n'
    '2,भरगामा,"25,000","1,488","7,640",30.6\n'
    '3,फारबिसगंज,"42,600","1,601","13,020",30.6\n'
    '4,नरपतगंज,"25,600","2,583","15,767",61.6\n'
    ',योग,"1,36,200","7,078","47,184",34.6\n'
).encode()


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    """A store with a gazetteer only (so the demo is not loaded)."""
    path = tmp_path / "app.duckdb"
    con = store.open_store(str(path))
    assert ingest.ingest_file(con.cursor(), GAZETTEER, "lgd.csv", kind="gazetteer").ok
    con.close()
    monkeypatch.setenv("SAMIKSHA_DB", str(path))
    return path


def with_report(path: Path) -> None:
    con = store.open_store(str(path))
    result = ingest.ingest_file(con.cursor(), HINDI_REPORT, "araria.csv", files=store.files_dir(str(path)))
    assert result.ok
    con.close()


def app(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error", "title", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def release(at: AppTest | None = None) -> None:
    """Close the cached store connection so the next test (or the test itself) can open the file."""
    from pages import _shared

    _shared.forget_store()


def test_overview_shows_district_figures(store_path):
    with_report(store_path)
    at = app().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # फारबिसगंज is not in the gazetteer's Hindi names: pending, out of the totals (42,600; 13,020; 1,601).
    assert metrics["Target"] == "93,600"
    assert metrics["Achieved"] == "34,164"
    assert metrics["% achieved"] == "36.5%"
    assert metrics["Added on 26-05-2025"] == "5,477"
    assert "Ayushman cards · As of 26-05-2025" in texts(at)
    release(at)


def test_overview_warns_about_unmatched_names_in_the_figures(store_path):
    with_report(store_path)
    at = app().run()
    assert not at.exception
    assert any(w.value.startswith("Pending: 1 block name(s), 13,020 achieved, not in the totals")
               and "फारबिसगंज" in w.value for w in at.warning)
    release(at)


def test_overview_in_hindi(store_path):
    with_report(store_path)
    at = app().run()
    at.radio(key="lang_choice").set_value("hi").run()
    assert not at.exception
    assert at.session_state["lang"] == "hi"
    assert [t.value for t in at.title][0].startswith("ज़िले का सारांश")
    labels = [m.label for m in at.metric]
    assert "लक्ष्य" in labels and "उपलब्धि" in labels
    assert "आयुष्मान कार्ड" in texts(at)
    release(at)


def test_overview_without_reports_points_to_upload(store_path):
    at = app().run()
    assert not at.exception
    assert any("No reports yet" in i.value for i in at.info)
    assert not at.metric
    release(at)


def test_upload_page_checks_then_stores_a_hindi_report(store_path):
    at = app()
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    at.file_uploader[0].set_value(("araria.csv", HINDI_REPORT, "text/csv")).run()
    assert not at.exception
    shown = texts(at)
    assert "araria.csv: can be stored" in shown
    assert "row 7 (“योग”) is a totals row" in shown
    assert "“फारबिसगंज” not matched (maybe Forbesganj" in shown
    assert "4 block names" in shown
    preview = at.table[0].value
    assert len(preview) == 4  # the totals row is not a data row
    store_button = next(b for b in at.button if b.label.startswith("Store"))
    store_button.click().run()
    assert not at.exception
    assert "araria.csv: stored as upload #2" in texts(at)
    history = at.dataframe[-1].value if at.dataframe else None
    assert history is not None and "araria.csv" in history.to_string()
    release(at)


def test_upload_page_refuses_a_png_named_csv(store_path):
    at = app()
    at.switch_page("pages/upload.py").run()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    at.file_uploader[0].set_value(("report.csv", png, "text/csv")).run()
    assert not at.exception
    assert any("REFUSED" in e.value and "PNG image" in e.value for e in at.error)
    assert not [b for b in at.button if b.label.startswith("Store")]
    assert any("No file can be stored" in w.value for w in at.warning)
    release(at)


def test_upload_page_confirms_an_unmatched_name(store_path):
    with_report(store_path)
    at = app()
    at.switch_page("pages/upload.py").run()
    assert "Names to confirm" in texts(at)
    box = at.selectbox(key="confirm_0")
    assert "फारबिसगंज" in box.label
    assert box.options[1].startswith("Forbesganj")  # the suggestion comes first
    box.set_value("1626")
    next(b for b in at.button if b.label == "Confirm").click().run()
    assert not at.exception
    assert "Every place name is matched or confirmed." in texts(at)
    release(at)
    con = store.open_store(str(store_path))
    rows = con.execute("SELECT block, block_code FROM progress WHERE block_written = 'फारबिसगंज'").fetchall()
    assert rows == [("Forbesganj", "1626")]
    assert ingest.unmatched_names(con) == []
    con.close()


def test_upload_page_undoes_an_upload(store_path):
    with_report(store_path)
    at = app()
    at.switch_page("pages/upload.py").run()
    at.selectbox(key="detail_id").set_value(2).run()
    at.button(key="undo").click().run()
    at.button(key="undo_yes").click().run()  # undoing asks first
    assert not at.exception
    release(at)
    con = store.open_store(str(store_path))
    assert store.scalar(con, "SELECT status FROM uploads WHERE upload_id = 2") == "undone"
    assert store.scalar(con, "SELECT count(*) FROM progress_current") == 0
    con.close()


@pytest.mark.skipif(os.environ.get("SAMIKSHA_SKIP_DEMO_TEST") == "1", reason="demo test skipped on request")
def test_first_start_loads_the_demo_with_a_banner_and_it_can_be_cleared(tmp_path, monkeypatch):
    """The app's own loading on a first start. A part of the demo's files is enough here (the
    places, the targets and the last day's reports); the whole demo is loaded once per run for
    the shared store (conftest)."""
    module = demo.generator()
    generate = module.generate

    def last_day_only(folder):
        written = generate(folder)
        last = str(module.REPORT_DATES[-1])
        written["progress"] = [path for path in written["progress"] if path.stem.endswith(last)]
        assert written["progress"]
        return written

    monkeypatch.setattr(demo, "KINDS_IN_ORDER", ("gazetteer", "targets", "progress"))
    monkeypatch.setattr(module, "generate", last_day_only)
    monkeypatch.setenv("SAMIKSHA_DB", str(tmp_path / "fresh.duckdb"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    assert any("DEMO DATA" in w.value for w in at.warning)
    assert {m.label for m in at.metric} >= {"Target", "Achieved", "% achieved"}
    at.switch_page("pages/upload.py").run()
    at.button(key="demo_clear").click().run()
    at.button(key="demo_clear_yes").click().run()  # clearing asks first
    assert not at.exception
    assert not any("DEMO DATA" in w.value for w in at.warning)
    release(at)


def test_overview_says_when_the_deadline_has_passed(store_path):
    with_report(store_path)
    con = store.open_store(str(store_path))
    targets = b"Indicator,Block,Target,Deadline\nayushman_cards,Araria,50000,20.05.2025\n"
    assert ingest.ingest_file(con.cursor(), targets, "targets.csv").ok
    con.close()
    at = app().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Deadline"] == "20-05-2025"
    assert metrics["Needed per day"] == "deadline passed"
    release(at)
