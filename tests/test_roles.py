"""Roles: viewers look, the operator changes the store. The password is kept only as a hash
(environment variable or secrets.toml); with no password the app says anyone can upload."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from test_pages import APP, _release_after, ok, texts  # noqa: F401 - fixtures

from pages import _shared
from samiksha import roles
from samiksha.errors import IntakeError
from samiksha.i18n import t

PASSWORD = "sahyog-2025!"
HASHED = roles.hash_password(PASSWORD, salt=b"0123456789abcdef")
CHANGING_PAGES = ("pages/upload.py", "pages/settings.py")


# ---------------------------------------------------------------- the hash


def test_the_hash_verifies_only_its_password_and_never_holds_it():
    made = roles.hash_password(PASSWORD)
    assert made.startswith("scrypt$16384$8$1$") and PASSWORD not in made
    assert roles.verify(PASSWORD, made)
    assert not roles.verify(PASSWORD + " ", made) and not roles.verify("", made)
    assert roles.hash_password(PASSWORD) != made  # a new salt each time


def test_a_short_password_or_a_hash_asking_too_much_is_refused():
    with pytest.raises(IntakeError) as caught:
        roles.hash_password("short")
    assert caught.value.issue.code == "password_too_short"
    greedy = HASHED.replace("scrypt$16384$", "scrypt$1048576000$")
    assert not roles.verify(PASSWORD, greedy)


def test_where_the_password_comes_from():
    assert roles.mode({}, {}) == roles.OPEN
    assert roles.mode({roles.HASH_SECRET: HASHED}, {}) == roles.PASSWORD
    assert roles.mode({}, {roles.HASH_ENV: HASHED}) == roles.PASSWORD
    other = roles.hash_password("another one")
    assert roles.password_hash({roles.HASH_SECRET: other}, {roles.HASH_ENV: HASHED}) == HASHED  # environment first
    assert roles.mode({"auth": {"client_id": "x"}, roles.HASH_SECRET: HASHED}, {}) == roles.OIDC


@pytest.mark.parametrize(("secrets", "environ", "code"), [
    ({"operator_password": PASSWORD}, {}, "plain_password"),
    ({roles.HASH_SECRET: PASSWORD}, {}, "bad_password_hash"),
    ({}, {roles.HASH_ENV: PASSWORD}, "bad_password_hash"),
])
def test_a_password_kept_as_written_is_refused(secrets, environ, code):
    with pytest.raises(IntakeError) as caught:
        roles.password_hash(secrets, environ)
    assert caught.value.issue.code == code
    assert PASSWORD not in caught.value.issue.text()


def test_oidc_operators_are_the_listed_addresses_or_anyone_signed_in():
    listed = {roles.EMAILS_SECRET: ["DM-Office@bihar.gov.in"]}
    assert roles.oidc_operator(listed, True, "dm-office@bihar.gov.in")
    assert not roles.oidc_operator(listed, True, "someone@example.org")
    assert not roles.oidc_operator(listed, False, "dm-office@bihar.gov.in")
    assert roles.oidc_operator({}, True, "anyone@example.org")


def test_the_password_command_prints_the_hash_lines_only():
    done = subprocess.run([sys.executable, "-m", "samiksha", "password"], input=PASSWORD + "\n", cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    secret_line, env_line = done.stdout.strip().splitlines()
    assert secret_line.startswith(f'{roles.HASH_SECRET} = "scrypt$') and env_line.startswith(f"{roles.HASH_ENV}='")
    assert roles.verify(PASSWORD, secret_line.split('"')[1])
    assert PASSWORD not in done.stdout + done.stderr
    short = subprocess.run([sys.executable, "-m", "samiksha", "password"], input="short\n", cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert short.returncode == 1 and "at least 8" in short.stderr


# ---------------------------------------------------------------- the pages


def page(path: str, secrets: dict | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.switch_page(path)
    return ok(at.run())


def can_upload(at: AppTest) -> bool:
    return bool(at.get("file_uploader")) or any(b.key == "store_files" for b in at.button)


def sign_in(at: AppTest) -> None:
    next(b for b in at.button if b.label == t("access.sign_in", "en")).click()


def buttons(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


@pytest.mark.usefixtures("demo_store")
def test_with_no_password_anyone_may_upload_and_the_app_says_so(monkeypatch):
    monkeypatch.delenv(roles.HASH_ENV, raising=False)
    for path in CHANGING_PAGES:
        at = page(path)
        assert t("access.open", "en") in [w.value for w in at.warning]
    at = page("pages/upload.py")
    assert can_upload(at) and "demo_clear" in buttons(at)
    hindi = page("pages/upload.py", lang="hi")
    assert t("access.open", "hi") in [w.value for w in hindi.warning]


@pytest.mark.usefixtures("demo_store")
@pytest.mark.parametrize("where", ["secrets", "environment"])
def test_a_viewer_can_only_look(monkeypatch, where):
    secrets = {roles.HASH_SECRET: HASHED} if where == "secrets" else {}
    if where == "environment":
        monkeypatch.setenv(roles.HASH_ENV, HASHED)
    upload = page("pages/upload.py", secrets)
    assert t("access.viewer", "en") in [i.value for i in upload.info]
    assert not can_upload(upload)
    assert not {"undo", "restore", "demo_clear", "demo_load"} & buttons(upload)
    assert upload.dataframe, "the upload history is still shown"
    settings = page("pages/settings.py", secrets)
    assert [ti.key for ti in settings.text_input] == ["operator_password"]  # the sign-in only: no setting
    shapes = page("pages/map.py", secrets)
    assert not shapes.get("data_editor") and "save_matches" not in buttons(shapes)


@pytest.mark.usefixtures("demo_store")
def test_signing_in_with_the_password_opens_the_changes_and_signing_out_closes_them(monkeypatch):
    monkeypatch.setattr(_shared.time, "sleep", lambda s: None)
    secrets = {roles.HASH_SECRET: HASHED}
    at = page("pages/upload.py", secrets)
    at.text_input(key="operator_password").set_value("wrong password")
    sign_in(at)
    ok(at.run())
    assert t("access.wrong_password", "en") in [e.value for e in at.error]
    assert not can_upload(at)
    at.text_input(key="operator_password").set_value(PASSWORD)
    sign_in(at)
    ok(at.run())
    assert can_upload(at) and {"undo", "demo_clear"} <= buttons(at)
    assert t("access.signed_in", "en") in texts(at)
    at.switch_page("pages/settings.py")
    ok(at.run())
    assert "district_en" in [ti.key for ti in at.text_input]  # the settings are open to the operator
    at.switch_page("pages/upload.py")
    ok(at.run())
    at.button(key="operator_sign_out").click()
    ok(at.run())
    assert not can_upload(at)


@pytest.mark.usefixtures("demo_store")
def test_five_wrong_passwords_lock_the_session_for_a_minute(monkeypatch):
    monkeypatch.setattr(_shared.time, "sleep", lambda s: None)
    at = page("pages/upload.py", {roles.HASH_SECRET: HASHED})
    for _ in range(_shared.MAX_TRIES):
        at.text_input(key="operator_password").set_value("guess " * 2)
        sign_in(at)
        ok(at.run())
    at.text_input(key="operator_password").set_value(PASSWORD)
    sign_in(at)
    ok(at.run())
    assert any("try again in" in e.value for e in at.error)
    assert not can_upload(at)  # even the right password waits


@pytest.mark.usefixtures("demo_store")
def test_a_password_written_as_is_in_secrets_closes_changes_and_says_how_to_mend():
    at = page("pages/upload.py", {"operator_password": PASSWORD})
    assert any("python -m samiksha password" in e.value for e in at.error)
    assert not can_upload(at)
    assert PASSWORD not in texts(at) + " ".join(e.value for e in at.error)


@pytest.mark.usefixtures("demo_store")
def test_with_oidc_configured_a_visitor_is_offered_the_login_and_cannot_change():
    secrets = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                        "client_id": "samiksha", "client_secret": "s",
                        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}
    at = page("pages/upload.py", secrets)
    assert "oidc_sign_in" in buttons(at)
    assert t("access.viewer_oidc", "en") in [i.value for i in at.info]
    assert not can_upload(at)
