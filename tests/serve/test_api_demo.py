"""The API on the demo database the real pipeline codes: quotes, attributions, merged events and
changes of control come out as the store and `sitrep.control` give them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitrep.api import MAX_LIMIT, ServeOptions, create_app
from sitrep.control import holdings
from sitrep.export import attribution_record, quote_record
from sitrep.store import Store

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeOptions(demo_db))) as client:
        yield client


def test_every_stored_quote_is_served_once_in_the_store_order(demo: TestClient,
                                                              demo_db: Path) -> None:  # fmt: skip
    served, cursor = [], None
    while True:
        body = demo.get("/quotes", params={"limit": 50, **({"cursor": cursor} if cursor else {})})
        served += body.json()["quotes"]
        if (cursor := body.json()["next"]) is None:
            break
    with Store(demo_db, read_only=True) as store:
        stored = store.quotes()
    assert stored, "the demo corpus has quotes"
    assert served == [quote_record(q) for q in stored]
    for quote in served:  # what the page's event panel reads
        assert quote["speaker"]["name"] and isinstance(quote["direct"], bool) and quote["text"]


def test_an_event_shows_its_quotes_and_attributions(demo: TestClient, demo_db: Path) -> None:
    with Store(demo_db, read_only=True) as store:
        quote = next(q for q in store.quotes() if q.event_ids)
        event = store.event(quote.event_ids[0])
        attributed = next(e for e in store.iter_events() if e.attribution)
    assert event is not None
    body = demo.get(f"/events/{event.event_id}").json()
    assert quote.quote_id in [q["quote_id"] for q in body["quotes"]]
    assert all(event.event_id in q["event_ids"] for q in body["quotes"])
    assert body["merged_id"] is not None and "quotes_note" not in body
    detail = demo.get(f"/events/{attributed.event_id}").json()["event"]
    assert detail["attribution"] == [attribution_record(a) for a in attributed.attribution]


def test_merged_events_and_control_match_the_store(demo: TestClient, demo_db: Path) -> None:
    with Store(demo_db, read_only=True) as store:
        merged = store.count_merged()
        changes = store.control_changes()
    body = demo.get("/events", params={"merged": "true", "limit": MAX_LIMIT}).json()
    assert len(body["events"]) == merged and body["next"] is None
    assert changes, "the demo corpus has changes of control"
    control = demo.get("/control").json()
    assert control["changes_total"] == len(changes)
    assert [(h["place"], h["since"]) for h in control["holdings"]] == [
        (h.place, h.since.isoformat() if h.since else None) for h in holdings(changes)]  # fmt: skip
