"""Quotes and attributions go into the database with their report and come back the same;
`sitrep quotes` filters them and `sitrep export --what quotes` writes one a line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.models import (
    Attribution,
    Event,
    Evidence,
    Quote,
    QuoteFilter,
    Report,
    ReportResult,
    Speaker,
)
from sitrep.store import Store

TEXT = '"We pushed them out of the market," Colonel Amadou Diallo said. Rebels attacked Gao.'


def sample() -> ReportResult:
    speaker = Speaker("Amadou Diallo", "Colonel", "Military Forces of Mali", "MLI", "MIL",
                      "Colonel Amadou Diallo", 37, 58)  # fmt: skip
    quote = Quote("q1", "r1", speaker, "We pushed them out of the market", True, "said", 1, 33,
                  TEXT[:64], ["e1"])  # fmt: skip
    event = Event("e1", "r1", "ASSAULT", "asserted", "attacked", 71, 79)
    event.attribution.append(
        Attribution(
            "Amadou Diallo",
            "reported",
            "said",
            "MIL",
            "MLI",
            "q1",
            Evidence("attribution", TEXT, 37, 58),
        )
    )
    report = Report("r1", TEXT, published=date(2023, 3, 9), agencies=("AFP",))
    return ReportResult(report, [event], "en", [quote])


def test_quotes_and_attributions_round_trip() -> None:
    result = sample()
    with Store(":memory:") as store:
        store.add_results([result], "run")
        assert store.quotes() == result.quotes
        assert store.event("e1") == result.events[0]
        assert store.quotes(QuoteFilter(speaker="diallo")) == result.quotes
        assert store.quotes(QuoteFilter(organisation="mali")) == result.quotes
        assert store.quotes(QuoteFilter(speaker="nobody")) == []
        assert store.quotes(QuoteFilter(date_from=date(2023, 3, 10))) == []
        store.replace_results([ReportResult(result.report, [], "en")], "run2")
        assert store.quotes() == []
        assert store.event("e1") is None


def test_cli_lists_and_exports_quotes(tmp_path: Path) -> None:
    db = tmp_path / "q.duckdb"
    with Store(db) as store:
        store.add_results([sample()], "run")
    runner = CliRunner()
    listed = runner.invoke(app, ["quotes", "--db", str(db), "--speaker", "Diallo"])
    assert listed.exit_code == 0, listed.output
    assert "Amadou Diallo" in listed.output
    out = runner.invoke(app, ["export", "--db", str(db), "--what", "quotes", "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    record = json.loads(out.output.splitlines()[0])
    assert list(record) == [
        "quote_id", "report_id", "speaker", "text", "direct", "event_ids", "evidence",
    ]  # fmt: skip
    assert record["speaker"] == {
        "name": "Amadou Diallo", "role": "Colonel", "organisation": "Military Forces of Mali",
        "country": "MLI",
    }  # fmt: skip
    assert record["evidence"]["start"] == 1 and record["direct"] is True
    wrong = runner.invoke(app, ["export", "--db", str(db), "--what", "quotes", "--format", "csv"])
    assert wrong.exit_code != 0


def many_quotes(day: date | None, report_id: str, count: int) -> ReportResult:
    """A report with `count` quotes, two of them at one position (ids break the tie)."""
    speaker = Speaker("Amadou Diallo", "Colonel", None, "MLI", "MIL", "Colonel Amadou Diallo")
    quotes = [Quote(f"{report_id}-q{i}", report_id, speaker, f"words {i}", False, "said",
                    min(i, count - 2) * 10, min(i, count - 2) * 10 + 5, TEXT)
              for i in range(count)]  # fmt: skip
    return ReportResult(Report(report_id, TEXT, published=day), [], "en", quotes)


def test_quotes_page_by_key_without_overlap_or_gap() -> None:
    results = [many_quotes(date(2023, 3, 9), "rb", 4), many_quotes(None, "ra", 3),
               many_quotes(date(2023, 3, 8), "rc", 5)]  # fmt: skip
    with Store(":memory:") as store:
        store.add_results(results, "run")
        everything = [q.quote_id for q in store.quotes()]
        assert everything[:5] == [f"rc-q{i}" for i in range(5)]  # earliest report first
        assert everything[-3:] == [f"ra-q{i}" for i in range(3)]  # undated last
        for size in (1, 2, 5):
            seen, after = [], None
            while page := store.quotes_page(None, after=after, limit=size):
                seen += [q.quote_id for _, q in page]
                after = page[-1][0]
            assert seen == everything
        # a quote stored before the key does not shift the next page (an offset would)
        key = store.quotes_page(None, after=None, limit=6)[-1][0]
        store.add_results([many_quotes(date(2023, 3, 1), "rz", 2)], "run2")
        following = store.quotes_page(None, after=key, limit=100)
        assert [q.quote_id for _, q in following] == everything[6:]
