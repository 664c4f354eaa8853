"""Problems found in an upload, as catalogue codes with parameters (never tracebacks)."""

from __future__ import annotations

from dataclasses import dataclass, field

from samiksha.i18n import catalogue, t

# Severities: a refusal stops the whole file; a rejection drops one row; a warning keeps
# the row but says what looked wrong; info says what was read.
REFUSED, REJECTED, WARNING, INFO = "refused", "rejected", "warning", "info"
# Where a message is shown. A message whose remedy is a command-line option (--date,
# --indicator, --db ...) has a page variant in the catalogue, `<section>_page.<code>`, that
# names the page's own control instead ("switch on “Date for files without one” above").
CLI, PAGE = "cli", "page"
KEYED_PARAMS = {"what": "filetype", "expected": "expected", "delimiter": "delimiter", "level": "level", "field": "field"}


@dataclass
class Issue:
    severity: str
    code: str
    params: dict = field(default_factory=dict)
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def text(self, lang: str | None = None, where: str = CLI) -> str:
        """The message in `lang` as said `where` (CLI or PAGE), prefixed with row and column
        where known."""
        body = self.message(lang, where)
        where = []
        if self.row is not None:
            where.append(t("issue.at_row", lang, row=self.row))
        if self.column:
            where.append(t("issue.at_column", lang, column=self.column))
        if self.value is not None and "{value}" not in t(self.key, "en"):
            where.append(t("issue.at_value", lang, value=self.value))
        return (", ".join(where) + ": " + body) if where else body

    def message(self, lang: str | None = None, where: str = CLI) -> str:
        """The message alone (for a table that shows row, column and value beside it), as
        said `where` (CLI or PAGE)."""
        params = dict(self.params)
        if self.value is not None:
            params.setdefault("value", self.value)
        from samiksha.indicators import display_name

        for name in ("indicator", "given", "title"):
            if name in params and self.code.startswith("indicator"):
                params[name] = display_name(str(params[name]), lang or "en")
        if "found" in params and self.code.startswith("indicator"):  # several indicators: "ayushman_cards, insurance"
            params["found"] = ", ".join(display_name(k.strip(), lang or "en") for k in str(params["found"]).split(","))
        for name, section in KEYED_PARAMS.items():  # parameters that are catalogue keys
            if name in params:
                params[name] = t(f"{section}.{params[name]}", lang)
        if isinstance(params.get("columns"), list):  # columns in doubt: each said in the language
            params["columns"] = columns_text(params["columns"], lang, where)
        return t(self.key_for(where), lang, **params)

    @property
    def key(self) -> str:
        """The catalogue key: issue.<code>, or the code itself when it names its section
        (a boundary file's notes: boundaries.reprojected, ...)."""
        return self.code if "." in self.code else f"issue.{self.code}"

    def key_for(self, where: str = CLI) -> str:
        """The key of the message as said `where`: on a page, its page variant when it has one."""
        return page_key(self.key) if where == PAGE and page_key(self.key) in catalogue() else self.key


def page_key(key: str) -> str:
    """issue.no_report_date -> issue_page.no_report_date: where a message's page wording lives."""
    section, _, name = key.partition(".")
    return f"{section}_page.{name}"


class IntakeError(Exception):
    """A file that cannot be taken at all; carries the Issue that says why."""

    def __init__(self, code: str, row: int | None = None, column: str | None = None, **params):
        self.issue = Issue(REFUSED, code, params, row=row, column=column)
        super().__init__(code)


def field_name(name: str | None, lang: str | None) -> str:
    return t("field.not_used", lang) if name is None else t(f"field.{name}", lang)


def columns_text(columns: list[dict], lang: str | None, where: str = CLI) -> str:
    """“Achievement” (read as achieved (cumulative); or achieved today): --column "Achievement=achieved" """
    parts = []
    for col in columns:
        read = field_name(col.get("field"), lang)
        others = ", ".join(field_name(o, lang) for o in col.get("others", []))
        text = t("issue.column_in_doubt", lang, header=col["header"], field=read, others=others or "—")
        if where == CLI:
            guess = col.get("field") or (col.get("others") or ["-"])[0]
            text += " " + t("cli.column_option", lang, header=col["header"], field=guess)
        parts.append(text)
    return "; ".join(parts)
