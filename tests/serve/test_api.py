"""The HTTP API on a small hand-written database: filters, pages, formats, errors, writes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serve_samples import TEXT, drop_issue_6_tables, write_sample_db

from sitrep.api import MAX_LIMIT, ServeOptions, create_app, resolve_token
from sitrep.export import event_record, merged_record, quote_record
from sitrep.models import EventFilter
from sitrep.store import Store

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_db(tmp_path_factory.mktemp("api") / "sample.duckdb")


@pytest.fixture(scope="module")
def client(sample_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(ServeOptions(sample_db))) as test_client:
        yield test_client


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [e["event_id"] for e in response.json()["events"]]


def test_events_come_in_date_order_with_undated_last_as_the_export_writes_them(
    client: TestClient, sample_db: Path
) -> None:
    response = client.get("/events")
    assert ids(response) == ["e01", "e05", "e02", "e03", "e06", "e04", "e07"]
    assert response.json()["next"] is None
    with Store(sample_db, read_only=True) as store:
        merged_id = store.merged_ids(["e01"])["e01"]
        expected = event_record(store.event("e01"), merged_id)  # type: ignore[arg-type]
    assert response.json()["events"][0] == expected  # with its merged event, as jsonl has it


def test_keyset_pages_cover_every_event_once_in_order(client: TestClient) -> None:
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/events", params=params).json()
        seen += [e["event_id"] for e in body["events"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == ["e01", "e05", "e02", "e03", "e06", "e04", "e07"]
    assert pages == 4


def test_a_page_that_ends_exactly_at_the_last_event_says_there_is_no_next(
    client: TestClient,
) -> None:
    body = client.get("/events", params={"limit": 7}).json()
    assert len(body["events"]) == 7
    assert body["next"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "assault"}, ["e01", "e03", "e06", "e04"]),
        ({"acled_type": "Strategic developments"}, ["e02"]),
        ({"actor": "police forces"}, ["e02", "e07"]),
        ({"actor": "gunmen"}, ["e01"]),
        ({"country": "ner"}, ["e02", "e07"]),
        ({"country": "MLI"}, ["e01", "e05"]),
        ({"mode": "negated"}, ["e05"]),
        ({"since": "2024-03-05", "until": "2024-03-10"}, ["e02", "e03", "e06"]),
        ({"since": "2024-03-01", "until": "2024-03-31", "type": "ASSAULT"}, ["e01", "e03", "e06"]),
        ({"bbox": "-5,10,5,20"}, ["e01", "e05", "e02", "e07"]),
        ({"bbox": "1,10,5,20"}, ["e02", "e07"]),
        # min_lon > max_lon: the box crosses the antimeridian (Suva 178.4, Taveuni -179.97)
        ({"bbox": "170,-20,-170,-10"}, ["e03", "e04"]),
        ({"bbox": "170,-20,179,-10"}, ["e03"]),
        ({"report_id": "rgao", "type": "PROTEST"}, ["e05"]),
        ({"report_id": "nope"}, []),
    ],
)
def test_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    assert ids(client.get("/events", params=params)) == expected


def test_geojson_by_format_or_accept_header(client: TestClient) -> None:
    by_format = client.get("/events", params={"format": "geojson"})
    by_accept = client.get("/events", headers={"Accept": "application/geo+json"})
    for response in (by_format, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/geo+json")
        body = response.json()
        assert body["type"] == "FeatureCollection"
        assert [f["id"] for f in body["features"]][:2] == ["e01", "e05"]
    features = {f["id"]: f for f in by_format.json()["features"]}
    assert features["e01"]["geometry"] == {"type": "Point", "coordinates": [-0.04, 16.27]}
    assert features["e06"]["geometry"] is None  # no place: still listed, without a point
    assert features["e01"]["properties"]["trigger_sentence"].startswith("Gunmen attacked")
    assert features["e01"]["properties"]["date_value"] == "2024-03-04"
    json_anyway = client.get("/events", params={"format": "json"},
                             headers={"Accept": "application/geo+json"})  # fmt: skip
    assert "events" in json_anyway.json()


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"bbox": "1,2,3"}, 400, "four numbers"),
        ({"bbox": "a,b,c,d"}, 400, "four numbers"),
        ({"bbox": "-200,0,10,10"}, 400, "longitudes"),
        ({"bbox": "0,50,10,10"}, 400, "latitudes"),
        ({"bbox": "0,0,nan,10"}, 400, "four numbers"),
        ({"since": "2024-13-01"}, 400, "YYYY-MM-DD"),
        ({"until": "yesterday"}, 400, "YYYY-MM-DD"),
        ({"country": "Mali"}, 400, "alpha-3"),
        ({"cursor": "not-a-cursor"}, 400, "cursor"),
        ({"cursor": "WzEsMiwzXQ"}, 400, "cursor"),  # valid base64 of [1,2,3]
        ({"format": "xml"}, 400, "json or geojson"),
        ({"limit": "0"}, 422, "limit"),
        ({"limit": str(MAX_LIMIT + 1)}, 422, "limit"),
        ({"limit": "ten"}, 422, "limit"),
        ({"merged": "perhaps"}, 422, "merged"),
    ],
)
def test_bad_parameters_get_a_4xx_with_a_json_reason(
    client: TestClient, params: dict[str, str], status: int, words: str
) -> None:
    response = client.get("/events", params=params)
    assert response.status_code == status
    assert words in response.json()["reason"]


PARAMETERS = ["since", "until", "bbox", "country", "cursor", "limit", "type", "actor", "format",
              "merged", "mode"]  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(PARAMETERS),
        st.text(max_size=30),
        max_size=4,
    )
)
def test_no_query_string_makes_a_500(client: TestClient, params: dict[str, str]) -> None:
    for path in ("/events", "/stats"):
        response = client.get(path, params=params)
        assert response.status_code < 500, (path, params, response.text)
        assert response.headers["content-type"].startswith(("application/json",
                                                            "application/geo+json"))  # fmt: skip


def test_one_event_with_its_evidence_sources_and_report(client: TestClient) -> None:
    body = client.get("/events/e01").json()
    event = body["event"]
    assert event["event_id"] == "e01"
    assert event["trigger"] == {"text": "attacked", "start": 7, "end": 15}
    evidence = event["evidence"][0]
    assert TEXT[evidence["start"] : evidence["end"]] == "attacked"
    assert body["report"]["text"] == TEXT
    assert body["sources"] == [{
        "report_id": "rgao", "title": "Attack in Gao", "published": "2024-03-05",
        "agencies": ["AFP"], "dateline": "BAMAKO", "url": "https://example.org/gao",
        "source_path": "in/gao.txt", "source_line": None,
    }]  # fmt: skip
    assert [q["quote_id"] for q in body["quotes"]] == ["q1"]
    assert "quotes_note" not in body
    assert event["attribution"] == [{
        "source": "Amadou Traore", "kind": "reported", "verb": "said", "sector": "GOV",
        "country": "MLI", "quote_id": "q1",
        "evidence": {"sentence": evidence["sentence"], "start": 0, "end": 12},
    }]  # fmt: skip
    assert body["merged_id"] == event["merged_id"] == body["merged"]["merged_id"]
    assert body["merged"]["event_ids"] == ["e01"]  # told by this report only
    claimed = client.get("/events/e03").json()["event"]["attribution"]
    assert [(a["source"], a["kind"], a["quote_id"]) for a in claimed] == [
        ("Fighters", "claimed", None)]  # fmt: skip


def test_unknown_ids_are_404_with_a_reason(client: TestClient) -> None:
    for path in ("/events/nope", "/reports/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert "nope" in response.json()["reason"]
    assert client.get("/no/such/path").status_code == 404


def test_a_report_with_its_text_and_events(client: TestClient) -> None:
    body = client.get("/reports/rgao").json()
    assert body["text"] == TEXT
    assert body["agencies"] == ["AFP"]
    assert sorted(body["event_ids"]) == [f"e{n:02d}" for n in range(1, 8)]


def test_stats_count_per_day_and_type_and_follow_the_filters(client: TestClient) -> None:
    body = client.get("/stats").json()
    assert body["totals"] == {"reports": 1, "events": 7, "skipped": 0, "runs": 1}
    assert {"day": "2024-03-04", "type": "ASSAULT", "count": 1} in body["days"]
    assert {"day": "2024-03-04", "type": "PROTEST", "count": 1} in body["days"]
    assert sum(row["count"] for row in body["days"]) == 6  # e07 has no date
    assert body["types"][0] == {"type": "ASSAULT", "count": 4}
    assault = client.get("/stats", params={"type": "ASSAULT", "bbox": "-5,10,5,20"}).json()
    assert assault["days"] == [{"day": "2024-03-04", "type": "ASSAULT", "count": 1}]


def test_facets_list_the_values_filters_take(client: TestClient) -> None:
    body = client.get("/facets").json()
    assert {"value": "ASSAULT", "count": 4} in body["types"]
    assert {"value": "NER", "count": 2, "name": "Niger"} in body["countries"]
    assert {"value": "Police Forces of Niger", "count": 2} in body["actors"]


@pytest.fixture(scope="module")
def old_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = write_sample_db(tmp_path_factory.mktemp("old") / "old.duckdb")
    drop_issue_6_tables(path)
    with TestClient(create_app(ServeOptions(path))) as test_client:
        yield test_client


def test_a_database_from_before_quotes_merging_and_control_answers_empty_lists(
    old_db: TestClient,
) -> None:
    """The older file gains the missing tables on opening; their endpoints answer empty."""
    assert old_db.get("/quotes").json()["quotes"] == []
    assert old_db.get("/control").json()["holdings"] == []
    merged = old_db.get("/events", params={"merged": "true"}).json()
    assert merged["events"] == []
    assert ids(old_db.get("/events"))[:2] == ["e01", "e05"]
    assert old_db.get("/events").json()["events"][0]["merged_id"] is None
    detail = old_db.get("/events/e01").json()
    assert detail["quotes"] == []
    assert detail["merged_id"] is None and len(detail["sources"]) == 1


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    """The sample and a second report of the attack in Gao, merged as a run merges them."""
    path = write_sample_db(tmp_path_factory.mktemp("two") / "two.duckdb", second_report=True)
    with TestClient(create_app(ServeOptions(path))) as test_client:
        yield test_client, path


def quote_ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [q["quote_id"] for q in response.json()["quotes"]]


def test_quotes_are_served_from_the_store_in_the_export_shape(client: TestClient,
                                                              sample_db: Path) -> None:  # fmt: skip
    quotes = client.get("/quotes").json()
    assert "note" not in quotes and quotes["next"] is None
    with Store(sample_db, read_only=True) as store:
        assert quotes["quotes"] == [quote_record(q) for q in store.quotes()]
    assert quotes["quotes"][0] == {
        "quote_id": "q1", "report_id": "rgao",
        "speaker": {"name": "Amadou Traore", "role": "Governor", "organisation": None,
                    "country": "MLI"},
        "text": "Four people were killed", "direct": True, "event_ids": ["e01"],
        "evidence": {"sentence": "Gunmen attacked a market in Gao on Monday, killing four "
                     "people.", "start": 0, "end": 63},
    }  # fmt: skip
    assert quote_ids(client.get("/quotes?event_id=e07")) == ["q2"]
    assert quote_ids(client.get("/quotes?event_id=e03")) == []
    assert quote_ids(client.get("/quotes?event_id=nope")) == []
    assert quote_ids(client.get("/quotes?event_id=e07&report_id=rother")) == []
    assert quote_ids(client.get("/quotes?speaker=traore")) == ["q1"]
    assert quote_ids(client.get("/quotes?speaker=the governor")) == ["q1"]  # as written
    assert quote_ids(client.get("/quotes?organisation=police")) == ["q2"]
    assert quote_ids(client.get("/quotes?since=2024-03-06")) == []
    assert quote_ids(client.get("/quotes?until=2024-03-05&report_id=rgao")) == ["q1", "q2"]
    first = client.get("/quotes?limit=1").json()
    assert [q["quote_id"] for q in first["quotes"]] == ["q1"] and first["next"]
    rest = client.get("/quotes", params={"limit": 1, "cursor": first["next"]}).json()
    assert [q["quote_id"] for q in rest["quotes"]] == ["q2"] and rest["next"] is None
    assert [q["quote_id"] for q in client.get("/events/e02").json()["quotes"]] == ["q2"]
    for params in ({"cursor": "q1"}, {"since": "March"}):
        response = client.get("/quotes", params=params)
        assert response.status_code == 400 and response.json()["reason"]


def test_merged_events_are_served_with_filters_pages_and_geojson(
    two_reports: tuple[TestClient, Path],
) -> None:
    client, path = two_reports
    with Store(path, read_only=True) as store:
        expected = store.merged_events()
        gao = store.merged_ids(["r01"])["r01"]
    body = client.get("/events", params={"merged": "true"}).json()
    assert "note" not in body
    assert body["events"] == [merged_record(m) for m in expected]
    first = body["events"][0]
    assert first["merged_id"] == gao and first["event_ids"] == ["e01", "r01"]
    assert first["actor1"] == {"name": "Unidentified Armed Group (Mali)", "country": "MLI",
                               "sector": "REB"}  # fmt: skip
    assert first["date"] == {"value": "2024-03-04", "precision": "day"}
    assert first["report_ids"] == ["rgao", "rother"] and first["sources"] == 2
    assert first["agencies"] == ["AFP", "Reuters"] and first["fatalities"] == 4  # the lowest
    seen, cursor = [], None
    while True:
        page = client.get(
            "/events",
            params={"merged": "true", "limit": 2, **({"cursor": cursor} if cursor else {})},
        ).json()
        seen += [m["merged_id"] for m in page["events"]]
        if (cursor := page["next"]) is None:
            break
    assert seen == [m.merged_id for m in expected]
    niger = client.get("/events", params={"merged": "true", "country": "NER"}).json()
    assert [m["event_ids"] for m in niger["events"]] == [["e02"], ["e07"]]
    other = client.get("/events", params={"merged": "true", "report_id": "rother"}).json()
    assert [m["merged_id"] for m in other["events"]] == [gao]
    boxed = client.get("/events", params={"merged": "true", "bbox": "-5,15,1,20",
                                          "format": "geojson"}).json()  # fmt: skip
    assert [f["properties"]["event_ids"] for f in boxed["features"]] == [["e01", "r01"],
                                                                       ["e05"]]  # fmt: skip
    assert boxed["features"][0]["geometry"]["coordinates"] == [-0.04, 16.27]
    wrapped = client.get("/events", params={"merged": "true", "bbox": "170,-20,-170,-10"}).json()
    assert [m["event_ids"] for m in wrapped["events"]] == [["e03"], ["e04"]]


def test_an_event_of_a_merged_event_lists_every_source_report(
    two_reports: tuple[TestClient, Path],
) -> None:
    client, path = two_reports
    body = client.get("/events/e01").json()
    with Store(path, read_only=True) as store:
        merged = [m for m in store.merged_events(EventFilter(report_id="rother"))]
    assert body["merged"] == merged_record(merged[0])
    assert body["merged_id"] == body["event"]["merged_id"] == merged[0].merged_id
    assert [s["report_id"] for s in body["sources"]] == ["rgao", "rother"]
    assert [s["agencies"] for s in body["sources"]] == [["AFP"], ["Reuters"]]
    assert client.get("/events/r01").json()["merged_id"] == merged[0].merged_id
    alone = client.get("/events/e03").json()
    assert alone["merged"]["event_ids"] == ["e03"] and len(alone["sources"]) == 1


def test_control_gives_holdings_on_a_day_and_the_changes_up_to_it(client: TestClient) -> None:
    def held(body: dict) -> list[tuple[str, str | None, str]]:
        return [(h["place"], h["holder"] and h["holder"]["name"], h["since"])
                for h in body["holdings"]]  # fmt: skip

    latest = client.get("/control").json()
    assert latest["on"] is None and latest["changes_total"] == 4
    assert held(latest) == [("Suva", None, "2024-03-06"), ("Taveuni", None, "2024-04-01"),
                            ("Gao", "Military Forces of Mali", "2024-03-10")]  # fmt: skip
    mali = client.get("/control", params={"country": "mli", "on": "2024-03-05"}).json()
    assert held(mali) == [("Gao", "Unidentified Armed Group (Mali)", "2024-03-04")]
    assert mali["holdings"][0]["event_ids"] == ["e01"]
    assert mali["holdings"][0]["location"]["geonameid"] == 2457163
    assert mali["changes"] == [{
        "event_id": "e01", "report_id": "rgao", "kind": "taken",
        "place": {"name": "Gao", "geonameid": 2457163, "lat": 16.27, "lon": -0.04,
                  "admin1": "Gao", "admin2": None, "country_code": "MLI", "geo_precision": 1},
        "date": {"value": "2024-03-04", "precision": "day"},
        "holder": {"name": "Unidentified Armed Group (Mali)", "country": "MLI",
                   "sector": "REB"},
        "lost_by": {"name": "Military Forces of Mali", "country": "MLI", "sector": "MIL"},
        "trigger": "attacked",
        "evidence": {"sentence": TEXT[:63], "start": 7, "end": 15}, "place_borrowed": False,
    }]  # fmt: skip
    gao = client.get("/control", params={"place": "gao", "limit": 1}).json()
    assert gao["changes_total"] == 2 and [c["event_id"] for c in gao["changes"]] == ["e01"]
    assert held(gao) == [("Gao", "Military Forces of Mali", "2024-03-10")]
    for params in ({"on": "soon"}, {"country": "Mali"}):
        assert client.get("/control", params=params).status_code == 400


def test_openapi_schema_names_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/events", "/events/{event_id}", "/reports/{report_id}", "/stats", "/quotes",
                 "/control", "/reports", "/facets"):  # fmt: skip
        assert path in paths
    assert "post" in paths["/reports"]


def test_the_page_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "static/vendor/leaflet.js" in page.text
    assert "//" not in page.text.replace("http://www.w3.org", "")  # nothing from elsewhere
    assert client.get("/static/app.js").status_code == 200


# -- writes ----------------------------------------------------------------------------------------


def test_writes_are_refused_when_no_token_is_configured(client: TestClient) -> None:
    response = client.post("/reports?format=txt", content=b"Some report.",
                           headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert response.status_code == 401
    assert "writes are disabled" in response.json()["reason"]


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[TestClient]:
    path = write_sample_db(tmp_path / "write.duckdb")
    with TestClient(create_app(ServeOptions(path, token=TOKEN, max_body=1000))) as c:
        yield c


@pytest.mark.parametrize(
    ("headers", "body", "status", "words"),
    [
        ({}, b"x", 401, "bearer token"),
        ({"Authorization": "Bearer wrong"}, b"x", 401, "bearer token"),
        ({"Authorization": f"Basic {TOKEN}"}, b"x", 401, "bearer token"),
        ({"Authorization": f"Bearer {TOKEN}"}, b"x" * 1001, 413, "limit of 1000"),
        ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "image/png"}, b"x", 415, "format="),
        ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}, b"", 400, "empty"),
    ],
)
def test_write_refusals(
    writer: TestClient, headers: dict[str, str], body: bytes, status: int, words: str
) -> None:
    response = writer.post("/reports", content=body, headers=headers)
    assert response.status_code == status
    assert words in response.json()["reason"]


def test_a_streamed_body_past_the_limit_is_413(writer: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        for _ in range(20):
            yield b"y" * 100

    response = writer.post("/reports?format=txt", content=chunks(),
                           headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert response.status_code == 413


def test_an_unknown_post_format_is_400(writer: TestClient) -> None:
    response = writer.post("/reports?format=docx", content=b"x",
                           headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert response.status_code == 400
    assert "jsonl" in response.json()["reason"]


@pytest.mark.model
def test_posted_reports_are_coded_stored_and_served(writer: TestClient) -> None:
    report = {
        "id": "posted-1", "date": "2024-05-02", "source": "AFP",
        "text": "Gunmen killed three villagers in an attack on Mopti on Tuesday, "
                "officials said.",
    }  # fmt: skip
    body = (json.dumps(report) + "\n").encode("utf-8")
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"}
    response = writer.post("/reports", content=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["reports_stored"] == 1
    assert writer.get("/reports/posted-1").json()["event_ids"]
    assert ids(writer.get("/events", params={"report_id": "posted-1"}))
    again = writer.post("/reports", content=body, headers=headers).json()
    assert again["reports_stored"] == 0 and again["reports_duplicate"] == 1


def test_a_read_only_server_leaves_the_file_to_readers_in_other_processes(
    client: TestClient, sample_db: Path
) -> None:
    assert client.get("/events").status_code == 200  # the server holds its connection
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(con.execute('SELECT count(*) FROM events').fetchone()[0])"
    )
    other = subprocess.run([sys.executable, "-c", code, str(sample_db)], capture_output=True,
                           text=True, check=False)  # fmt: skip
    assert other.stdout.strip() == "7", other.stderr


def test_the_token_comes_from_the_file_else_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_API_TOKEN", "from-env")
    assert resolve_token(None) == "from-env"
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n", encoding="utf-8")
    assert resolve_token(token_file) == "from-file"
    monkeypatch.delenv("SITREP_API_TOKEN")
    assert resolve_token(None) is None


def test_a_quotes_cursor_is_a_key_and_an_events_cursor_is_refused(client: TestClient) -> None:
    events_next = client.get("/events?limit=1").json()["next"]
    refused = client.get("/quotes", params={"cursor": events_next})
    assert refused.status_code == 400 and "cursor" in refused.json()["reason"]
    first = client.get("/quotes?limit=1").json()["next"]
    assert client.get("/events", params={"cursor": first}).status_code == 400
