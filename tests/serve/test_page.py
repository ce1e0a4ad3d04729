"""The map page in a real browser: Debian's Chromium, headless, driven by Playwright.

The server runs on the demo database in a thread of this process. Playwright's own browser
download is never used: the tests launch /usr/bin/chromium (`make test` installs it when it is
missing) and skip without it. The screenshot goes to the test's temporary folder, or to
docs/screenshot-map.png with SITREP_SCREENSHOT=1 (`make screenshot`).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sitrep.api import ServeOptions, create_app

pytestmark = pytest.mark.model

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SCREENSHOT = Path(__file__).parents[2] / "docs" / "screenshot-map.png"
READY = "window.sitrep && window.sitrep.ready === true"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    """`sitrep serve` on the demo database, in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(create_app(ServeOptions(demo_db)), host="127.0.0.1", port=port,
                            log_level="warning")  # fmt: skip
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def api(demo_db: Path) -> Iterator[TestClient]:
    """The same API without a browser, to know what the page should show."""
    with TestClient(create_app(ServeOptions(demo_db))) as client:
        yield client


@pytest.fixture(scope="module")
def browser_page(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (make test installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 850},
        )  # fmt: skip
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
        page.goto(server)
        page.wait_for_function(READY, timeout=30_000)
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        context.close()


def placed(api: TestClient, **params: str) -> int:
    """How many events with a point the API gives for these filters (what the map shows)."""
    body = api.get("/events", params={"format": "geojson", "limit": 5000, **params}).json()
    assert body["next"] is None
    return sum(1 for f in body["features"] if f["geometry"] is not None)


def marker_count(page: Any) -> int:
    page.wait_for_function(READY, timeout=30_000)
    return int(page.evaluate("window.sitrep.markerCount"))


def reset(page: Any) -> None:
    page.click("#f-reset")
    page.wait_for_timeout(50)
    page.wait_for_function(READY, timeout=30_000)


def test_markers_of_every_placed_event_appear(browser_page: Any, api: TestClient) -> None:
    expected = placed(api)
    assert expected > 20
    assert marker_count(browser_page) == expected
    drawn = browser_page.locator("path.event-marker:visible").count()
    clusters = browser_page.locator(".marker-cluster:visible").count()
    assert drawn > 0 and drawn + clusters > 0
    assert browser_page.locator("#timeline rect").count() > 10
    assert browser_page.locator("path.country").count() > 100  # world-atlas, served locally
    assert browser_page.errors == []  # type: ignore[attr-defined]


def test_brushing_the_timeline_narrows_the_map(browser_page: Any, api: TestClient) -> None:
    reset(browser_page)
    total = marker_count(browser_page)
    box = browser_page.locator("#timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    browser_page.mouse.move(box["x"] + 40, y)
    browser_page.mouse.down()
    browser_page.mouse.move(box["x"] + box["width"] * 0.45, y, steps=5)
    browser_page.mouse.up()
    browser_page.wait_for_timeout(50)
    brushed = marker_count(browser_page)
    since, until = browser_page.inner_text("#range-text").split(" to ")
    assert brushed == placed(api, since=since, until=until)
    assert 0 < brushed < total
    assert browser_page.locator("#timeline .brush").count() == 1
    browser_page.click("#range-clear")
    browser_page.wait_for_timeout(50)
    assert marker_count(browser_page) == total


def test_choosing_a_filter_changes_the_markers(browser_page: Any, api: TestClient) -> None:
    reset(browser_page)
    total = marker_count(browser_page)
    browser_page.select_option("#f-type", "PROTEST")
    browser_page.wait_for_timeout(50)
    protests = marker_count(browser_page)
    assert protests == placed(api, type="PROTEST")
    assert 0 < protests < total
    browser_page.select_option("#f-type", "")
    browser_page.select_option("#f-country", "AFG")
    browser_page.wait_for_timeout(50)
    assert marker_count(browser_page) == placed(api, country="AFG") > 0


def test_clicking_a_marker_shows_its_evidence(
    browser_page: Any, api: TestClient, tmp_path: Path
) -> None:
    reset(browser_page)
    # Markers outside the view or inside a cluster stay in the page as empty paths.
    markers = browser_page.locator("path.event-marker:visible")
    if markers.count() == 0:  # everything clustered: open the first cluster
        browser_page.locator(".marker-cluster:visible").first.click()
        browser_page.wait_for_timeout(600)
    attacks = browser_page.locator("path.event-marker.type-ASSAULT:visible")
    (attacks if attacks.count() else markers).first.click()
    browser_page.wait_for_selector("#report-text mark", timeout=10_000)
    event_id = browser_page.evaluate("window.sitrep.state.selected")
    detail = api.get(f"/events/{event_id}").json()
    panel = browser_page.inner_text("#panel")
    assert detail["event"]["event_id"] in panel
    for evidence in detail["event"]["evidence"]:
        assert evidence["sentence"] in panel
    marked = browser_page.inner_text("#report-text mark.sentence")
    assert marked.strip()
    assert any(marked in ev["sentence"] for ev in detail["event"]["evidence"])
    trigger = browser_page.inner_text("#report-text mark.trigger")
    assert trigger == detail["event"]["trigger"]["text"]
    assert detail["sources"][0]["title"] in panel
    path = SCREENSHOT if os.environ.get("SITREP_SCREENSHOT") else tmp_path / "map.png"
    browser_page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


def test_the_toggle_shows_merged_events_and_their_member_events(
    browser_page: Any, api: TestClient
) -> None:
    reset(browser_page)
    events = marker_count(browser_page)
    browser_page.check("#f-merged")
    browser_page.wait_for_timeout(50)
    merged = marker_count(browser_page)
    assert merged == placed(api, merged="true")
    assert 0 < merged < events  # a report's events of one happening are one merged event
    assert "merged events" in browser_page.inner_text("#status")
    browser_page.select_option("#f-type", "ASSAULT")
    browser_page.wait_for_timeout(50)
    assert marker_count(browser_page) == placed(api, merged="true", type="ASSAULT")
    # the map's first merged assault: its panel lists its events, and one click shows one
    body = api.get("/events", params={"merged": "true", "type": "ASSAULT", "format": "geojson",
                                      "limit": 5000}).json()  # fmt: skip
    shown = [f for f in body["features"] if f["geometry"] is not None]
    browser_page.evaluate(
        "id => window.sitrep.state.markers.get(id).fire('click')", shown[0]["id"]
    )
    members = browser_page.locator("#panel button.member")
    members.first.wait_for(timeout=10_000)
    assert members.count() == len(shown[0]["properties"]["event_ids"])
    member = members.first.inner_text()
    members.first.click()
    browser_page.wait_for_selector("#report-text mark", timeout=10_000)
    assert browser_page.evaluate("window.sitrep.state.shown") == member
    assert member in browser_page.inner_text("#panel")
    browser_page.uncheck("#f-merged")
    browser_page.wait_for_timeout(50)
    assert marker_count(browser_page) == placed(api, type="ASSAULT")
    assert browser_page.errors == []  # type: ignore[attr-defined]
