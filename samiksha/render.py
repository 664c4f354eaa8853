"""One warm Chromium for the whole process: chart images (through kaleido) and HTML pages
(the review brief) printed to PDF or captured as PNG.

Starting Chromium takes seconds; after the first image the browser stays open, so later
images take a fraction of a second. Calls may come from any thread (each Streamlit session
runs in its own): they are queued on the renderer's own event loop.

Hindi: the app ships Noto Sans Devanagari (static/fonts, OFL) and adds it to the fonts
Chromium sees (fontconfig), so images show Hindi on a machine with no Hindi font installed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import logging
import os
import tempfile
import threading
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS_DIR = ROOT / "static" / "fonts"
DEVANAGARI_FONTS = {400: FONTS_DIR / "NotoSansDevanagari-Regular.ttf", 700: FONTS_DIR / "NotoSansDevanagari-Bold.ttf"}
SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"
A4_INCHES = (8.27, 11.69)
A4_CSS_PX = (794, 1123)  # A4 at 96 CSS pixels an inch
TIMEOUT = 90  # seconds for one render (a district's panchayat map is the largest)
# kaleido's browser channel logs a message it could not decode and ignores, with a traceback, on
# the user's terminal (seen under load); it is not an error of the image: kept off the screen.
logging.getLogger("choreographer").setLevel(logging.CRITICAL)
logging.getLogger("kaleido").setLevel(logging.CRITICAL)


def _work_dir() -> Path:
    path = Path(tempfile.gettempdir()) / f"samiksha-render-{os.getuid()}"
    path.mkdir(exist_ok=True)
    return path


def use_app_fonts() -> Path:
    """Make Chromium (started after this call) see the app's fonts on top of the system's:
    a fontconfig file that includes the current one and adds static/fonts. Returns its path.
    The file is named after what it includes and written whole (os.replace), so processes
    starting together never read a half-written one or each other's."""
    current = os.environ.get("FONTCONFIG_FILE") or SYSTEM_FONTCONFIG
    if Path(current).parent == _work_dir() and Path(current).name.startswith("fonts-"):
        return Path(current)  # already ours
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{current}</include>\n'
            f"  <dir>{FONTS_DIR}</dir>\n  <cachedir>{_work_dir() / 'fontcache'}</cachedir>\n</fontconfig>\n")
    conf = _work_dir() / f"fonts-{hashlib.sha1(text.encode()).hexdigest()[:12]}.conf"
    if not conf.exists() or conf.read_text(encoding="utf-8") != text:
        partial = conf.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, conf)
    os.environ["FONTCONFIG_FILE"] = str(conf)
    return conf


def font_face_css() -> str:
    """@font-face rules for the shipped Devanagari font (for HTML rendered here)."""
    return "".join(f"@font-face {{font-family: 'Noto Sans Devanagari'; font-weight: {weight}; "
                   f"src: url('{path.as_uri()}') format('truetype');}}\n" for weight, path in DEVANAGARI_FONTS.items())


@functools.cache
def available() -> bool:
    """A Chromium that kaleido can drive is installed (`make setup` installs it); looked up
    once a process (each chart's image button asks)."""
    from choreographer.browsers.chromium import Chromium

    try:
        return bool(Chromium.find_browser(skip_local=False))
    except Exception:  # a broken install: the image buttons say so instead of failing
        return False


class RenderError(RuntimeError):
    """The browser could not draw the image (not installed, crashed or timed out)."""


class Renderer:
    """The process's Chromium, opened on first use and kept open."""

    def __init__(self) -> None:
        self._start_lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._browser = None

    def _start(self):
        with self._start_lock:
            if self._browser is not None:
                return self._browser
            from kaleido import Kaleido

            use_app_fonts()
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="samiksha-render", daemon=True).start()
            browser = Kaleido(n=1, timeout=TIMEOUT, mathjax=False)
            try:
                asyncio.run_coroutine_threadsafe(browser.open(), self._loop).result(TIMEOUT)
            except Exception as exc:  # no Chromium, or it would not start
                raise RenderError(str(exc) or type(exc).__name__) from exc
            self._browser = browser
            return browser

    def _run(self, make):
        """Run `make(browser)` (a coroutine) on the renderer's loop; one retry with a fresh
        browser when the old one has died."""
        for attempt in (1, 2):
            browser = self._start()
            try:
                return asyncio.run_coroutine_threadsafe(make(browser), self._loop).result(TIMEOUT * 2)
            except Exception as exc:
                if attempt == 2 or not self._dead(browser):
                    raise RenderError(str(exc) or type(exc).__name__) from exc
                self.close()

    def _dead(self, browser) -> bool:
        try:
            return asyncio.run_coroutine_threadsafe(browser._is_closed(), self._loop).result(5)
        except Exception:
            return True

    def close(self) -> None:
        with self._start_lock:
            browser, self._browser = self._browser, None
        if browser is not None and self._loop is not None:
            with contextlib.suppress(Exception):  # already gone
                asyncio.run_coroutine_threadsafe(browser.close(), self._loop).result(20)

    def figure(self, figure, image_format: str = "png", width: int = 1280, height: int = 700,
               scale: float = 1.0) -> bytes:
        """A plotly figure as PNG, SVG or PDF bytes."""
        opts = {"format": image_format, "width": width, "height": height, "scale": scale}
        data = self._run(lambda browser: browser.calc_fig(figure, opts=opts))
        return data if isinstance(data, bytes) else data.encode("utf-8")

    def page(self, html: str, width: int = A4_CSS_PX[0], pdf: bool = True, png: bool = True,
             scale: float = 2.0) -> dict[str, bytes]:
        """An HTML page as an A4 PDF and/or a PNG `width` × `scale` pixels wide (as tall as the page)."""
        return self._run(lambda browser: _page(browser, html, width, pdf, png, scale))


async def _page(browser, html: str, width: int, pdf: bool, png: bool, scale: float) -> dict[str, bytes]:
    path = _work_dir() / f"page-{uuid.uuid4().hex}.html"
    path.write_text(html, encoding="utf-8")
    tab = await browser.create_tab("about:blank")
    out: dict[str, bytes] = {}
    try:
        await tab.send_command("Emulation.setDeviceMetricsOverride", params={
            "width": width, "height": A4_CSS_PX[1], "deviceScaleFactor": scale, "mobile": False})
        await tab.send_command("Page.enable")
        loaded = tab.subscribe_once("Page.loadEventFired")
        await tab.send_command("Page.navigate", params={"url": path.as_uri()})
        await asyncio.wait_for(loaded, TIMEOUT)
        await tab.send_command("Runtime.evaluate", params={"expression": "document.fonts.ready.then(() => true)",
                                                           "awaitPromise": True})
        if pdf:
            answer = await tab.send_command("Page.printToPDF", params={
                "paperWidth": A4_INCHES[0], "paperHeight": A4_INCHES[1], "printBackground": True,
                "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0, "preferCSSPageSize": True})
            out["pdf"] = base64.b64decode(_result(answer)["data"])
        if png:
            size = _result(await tab.send_command("Runtime.evaluate", params={
                "expression": "Math.ceil(document.documentElement.getBoundingClientRect().height)",
                "returnByValue": True}))
            height = max(int(size["result"]["value"]), 100)
            await tab.send_command("Emulation.setDeviceMetricsOverride", params={
                "width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})
            answer = await tab.send_command("Page.captureScreenshot", params={"format": "png"})
            out["png"] = base64.b64decode(_result(answer)["data"])
    finally:
        try:
            await browser.close_tab(tab.target_id)
        finally:
            path.unlink(missing_ok=True)
    return out


def _result(answer: dict) -> dict:
    if "error" in answer:
        raise RenderError(str(answer["error"]))
    return answer["result"]


_RENDERER = Renderer()


def renderer() -> Renderer:
    """The process's one renderer."""
    return _RENDERER
