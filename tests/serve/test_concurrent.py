"""The API serves reads while a run ingests (issue 9): no request fails or sees half a report.

One thread posts batches of reports (written here from templates) to `POST /reports`, one
request after another; reader threads meanwhile page through `GET /events`, open events, reports
and `/stats`. A batch of reports is stored in one transaction, so every read must see a report
with none or all of its events, and the database's totals only as they stand between two
batches. (Each POST here is one batch: fewer reports than RunOptions.batch_size.)
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from serve_samples import write_sample_db

from sitrep.api import ServeOptions, create_app

pytestmark = pytest.mark.model

TOKEN = "concurrent-token"
READERS = 3
BATCHES = 4
READ_TIMEOUT = 60.0  # seconds a reader may run at most, should the writer hang

# Our own texts: (title, text) templates with {place}, {region}, {day}, {n}, {m}, {actor}.
TEMPLATES = (
    ("Market attacked in {place}",
     "{actor} attacked a crowded market in {place}, in {region}, on {day}, killing {n} civilians, "
     "local officials said. Shops were set on fire and {m} people were taken to hospital."),
    ("Arrests after raid in {place}",
     "Police arrested {n} suspected militants in a raid on a house in {place} on {day}. "
     "A police spokesman said rifles and explosives were seized during the operation."),
    ("Fuel price protest in {place}",
     "Hundreds of people protested in {place} on {day} against a sharp rise in fuel prices. "
     "Security forces fired tear gas to disperse the crowd, witnesses said."),
    ("Clashes near {place}",
     "Soldiers clashed with rebel fighters near {place}, in {region}, on {day}. "
     "At least {n} fighters and {m} soldiers were killed in the fighting, the army said in a "
     "statement."),
    ("Convoy hit outside {place}",
     "A roadside bomb struck a military convoy outside {place} on {day}, killing {n} soldiers. "
     "No group has claimed the attack. The army said it had sent reinforcements to the area."),
    ("Village shelled in {region}",
     "{actor} shelled a village on the outskirts of {place} on {day}, killing {n} people and "
     "destroying dozens of homes, residents said."),
    ("Budget passed in {place}",  # no conflict event: its final count is 0
     "The city council of {place} approved its budget for the coming year on {day}. "
     "The mayor said the money would go to schools and roads."),
)  # fmt: skip
PLACES = (
    ("Gao", "northern Mali"), ("Mopti", "central Mali"), ("Niamey", "Niger"),
    ("Maiduguri", "northeastern Nigeria"), ("Goma", "eastern Congo"), ("Bunia", "Ituri province"),
    ("Mogadishu", "Somalia"), ("Kandahar", "southern Afghanistan"), ("Aleppo", "northern Syria"),
    ("Herat", "western Afghanistan"), ("Khartoum", "Sudan"), ("Beni", "North Kivu"),
)  # fmt: skip
ACTORS = ("Gunmen", "Armed men", "Militants", "Suspected jihadists", "Rebel fighters")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
AGENCIES = ("AFP", "Reuters", "AP", "Xinhua")


def hand_written_reports(count: int, seed: int = 9) -> list[dict[str, str]]:
    """`count` short news reports, each a different template, place and date."""
    rng = random.Random(seed)
    reports = []
    for n in range(count):
        title, text = TEMPLATES[n % len(TEMPLATES)]
        place, region = PLACES[(n * 5) % len(PLACES)]
        values = {"place": place, "region": region, "day": rng.choice(DAYS),
                  "n": str(rng.randint(2, 19)), "m": str(rng.randint(2, 9)),
                  "actor": rng.choice(ACTORS)}  # fmt: skip
        reports.append({
            "id": f"conc-{n:02d}", "date": f"2024-{1 + n % 12:02d}-{1 + n % 27:02d}",
            "source": rng.choice(AGENCIES), "title": title.format(**values),
            "text": text.format(**values),
        })  # fmt: skip
    return reports


@dataclass
class Seen:
    """What the readers saw, gathered from every thread (appends under a lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    during_writes: int = 0
    failures: list[str] = field(default_factory=list)
    counts: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # its events
    found: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # once stored
    totals: set[tuple[int, int]] = field(default_factory=set)
    events: dict[str, str] = field(default_factory=dict)  # event_id -> report_id
    unmerged: set[str] = field(default_factory=set)

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)


def read_until(done: threading.Event, client: TestClient, seen: Seen, posted: list[str],
               seed: int) -> None:  # fmt: skip
    """Call the read endpoints in a random order until the writer is done."""
    rng = random.Random(seed)

    def get(url: str, params: dict[str, Any] | None = None, ok: tuple[int, ...] = (200,)) -> Any:
        response = client.get(url, params=params)
        with seen.lock:
            seen.requests += 1
            seen.during_writes += not done.is_set()
        if response.status_code not in ok:
            seen.fail(f"GET {url} {params}: {response.status_code} {response.text[:300]}")
            return None
        return response.json() if response.status_code == 200 else None

    def note_events(records: list[dict[str, Any]]) -> None:
        with seen.lock:
            for record in records:
                seen.events[record["event_id"]] = record["report_id"]
                if record.get("merged_id") is None:
                    seen.unmerged.add(record["event_id"])

    def page_through() -> None:
        cursor = None
        while True:
            body = get("/events", {"limit": 25, **({"cursor": cursor} if cursor else {})})
            if body is None:
                return
            note_events(body["events"])
            if (cursor := body["next"]) is None:
                return

    def one_page() -> None:  # one query: a snapshot of every event
        body = get("/events", {"limit": 5000})
        if body is None:
            return
        note_events(body["events"])
        per_report = Counter(e["report_id"] for e in body["events"])
        with seen.lock:
            for report_id in posted:
                seen.counts[report_id].add(per_report.get(report_id, 0))

    def events_of_a_report() -> None:
        report_id = rng.choice(posted)
        body = get("/events", {"report_id": report_id, "limit": 5000})
        if body is not None:
            note_events(body["events"])
            with seen.lock:
                seen.counts[report_id].add(len(body["events"]))

    def a_report() -> None:
        report_id = rng.choice(posted)
        body = get(f"/reports/{report_id}", ok=(200, 404))
        if body is not None:  # a report stored is stored with its events
            with seen.lock:
                seen.found[report_id].add(len(body["event_ids"]))

    def an_event() -> None:  # an event once seen stays, with its report
        with seen.lock:
            known = list(seen.events.items())
        if not known:
            return
        event_id, report_id = rng.choice(known)
        body = get(f"/events/{event_id}")
        if body is None:
            return
        if body["event"]["report_id"] != report_id or body["report"] is None:
            seen.fail(f"event {event_id}: report {body['report']!r}, expected {report_id}")
        if body["merged"] is None:
            with seen.lock:
                seen.unmerged.add(event_id)
        report = get(f"/reports/{report_id}")
        if report is not None and event_id not in report["event_ids"]:
            seen.fail(f"report {report_id} does not list its event {event_id}")

    def stats() -> None:
        body = get("/stats")
        if body is not None:
            with seen.lock:
                seen.totals.add((body["totals"]["reports"], body["totals"]["events"]))

    actions: list[Callable[[], None]] = [page_through, one_page, events_of_a_report, a_report,
                                         an_event, an_event, stats]  # fmt: skip
    deadline = time.monotonic() + READ_TIMEOUT
    try:
        while not done.is_set() and time.monotonic() < deadline:
            rng.choice(actions)()
    except Exception as exc:  # a failed request must fail the test, not end the thread quietly
        seen.fail(f"reader raised {type(exc).__name__}: {exc}")


def test_reads_during_posts_never_fail_nor_see_half_a_report(tmp_path: Path) -> None:
    db = write_sample_db(tmp_path / "live.duckdb")  # one report, seven events, already there
    reports = hand_written_reports(8 * BATCHES)
    batches = [reports[i::BATCHES] for i in range(BATCHES)]
    batches[-1].append(reports[0])  # posted twice: stored once
    posted = [r["id"] for r in reports]
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"}
    app = create_app(ServeOptions(db, token=TOKEN))
    seen, done, summaries = Seen(), threading.Event(), []

    with TestClient(app, raise_server_exceptions=False) as client:
        before = client.get("/stats").json()["totals"]
        readers = [threading.Thread(target=read_until, args=(done, client, seen, posted, k))
                   for k in range(READERS)]  # fmt: skip
        for reader in readers:
            reader.start()
        try:
            for batch in batches:
                body = "".join(json.dumps(r) + "\n" for r in batch).encode("utf-8")
                response = client.post("/reports", content=body, headers=headers)
                assert response.status_code == 201, response.text
                summaries.append(response.json())
        finally:
            done.set()
            for reader in readers:
                reader.join()
        final_page = client.get("/events", params={"limit": 5000}).json()
        final_reports = {rid: client.get(f"/reports/{rid}") for rid in posted}
        with app.state.db.reader() as store:
            stored = store.query("SELECT report_id, count(*) AS n FROM reports "
                                 "WHERE report_id LIKE 'conc-%' GROUP BY report_id")  # fmt: skip

    failed = "\n".join(seen.failures[:10])
    assert not seen.failures, f"{len(seen.failures)} failed reads, the first:\n{failed}"
    assert not seen.unmerged, f"events served before their merged event: {sorted(seen.unmerged)}"
    # Every posted report is stored exactly once (the one posted twice counted as a duplicate).
    assert {row["report_id"]: row["n"] for row in stored} == dict.fromkeys(posted, 1)
    assert sum(s["reports_stored"] for s in summaries) == len(posted)
    assert summaries[-1]["reports_duplicate"] == 1
    assert all(r.status_code == 200 for r in final_reports.values())
    final = {rid: len(r.json()["event_ids"]) for rid, r in final_reports.items()}
    assert sum(final.values()) == sum(s["events_stored"] for s in summaries)
    assert sum(1 for n in final.values() if n > 0) >= len(posted) // 2, "most reports have events"
    # Every event a reader saw is stored, under the report it was served with.
    final_events = {e["event_id"]: e["report_id"] for e in final_page["events"]}
    assert {e: final_events.get(e) for e in seen.events} == seen.events
    # No read saw a report with only some of its events.
    half = {rid: sorted(counts) for rid, counts in seen.counts.items()
            if not counts <= {0, final[rid]}}  # fmt: skip
    assert not half, f"reports seen with some of their events: {half} (final {final})"
    early = {rid: sorted(counts) for rid, counts in seen.found.items() if counts != {final[rid]}}
    assert not early, f"reports served before all their events: {early} (final {final})"
    # The totals only ever stood as they were before the writes or after one of the batches.
    states = [(before["reports"], before["events"])]
    for s in summaries:
        states.append((states[-1][0] + s["reports_stored"], states[-1][1] + s["events_stored"]))
    assert seen.totals <= set(states), f"totals {sorted(seen.totals)} not in {states}"
    # The readers did overlap the writes: they saw the database between two batches.
    assert seen.during_writes >= 20
    assert len(seen.totals) > 1, f"totals seen: {seen.totals}"
    assert any(len(counts) == 2 for counts in seen.counts.values()), "no report seen arriving"
    assert seen.found, "no report found while the writer ran"
    print(
        f"\n{seen.requests} reads ({seen.during_writes} during the {len(batches)} posts), "
        f"totals seen {sorted(seen.totals)}, unmerged events seen {len(seen.unmerged)}, "
        f"events per report {sorted(Counter(final.values()).items())}"
    )
