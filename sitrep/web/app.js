/* sitrep's page: events on a map, a timeline of counts per day, filters and an event panel.
 * It only talks to the API of the server that served it (docs/api.md). */
"use strict";

const TYPE_COLOURS = {
  ASSAULT: "#d7301f", FIGHT: "#b30000", COERCE: "#7a0177", PROTEST: "#2b8cbe",
  RETREAT: "#238b45", MOBILIZE: "#fd8d3c", ACCUSE: "#807dba", CONSULT: "#41ab5d",
  AGREE: "#1d91c0", REQUEST: "#9e9ac8", SUPPORT: "#66c2a4", AID: "#3690c0",
  REJECT: "#969696", THREATEN: "#e7298a", SANCTION: "#8c6bb1", CONCEDE: "#74c476",
};
const OTHER_COLOUR = "#636363";
const MAX_EVENTS = 20000;
const PAGE = 5000;

const state = { filters: {}, range: null, markers: new Map(), events: [], selected: null, merged: false };
const sitrep = (window.sitrep = { state, ready: false, markerCount: 0 });

function colour(type) { return TYPE_COLOURS[type] || OTHER_COLOUR; }
function radius(fatalities) { return 5 + Math.min(14, 2.2 * Math.sqrt(fatalities || 0)); }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function getJSON(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) if (value) query.set(key, value);
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.reason || response.statusText);
  return body;
}

function setStatus(text) { document.getElementById("status").textContent = text; }

/* -- the map ------------------------------------------------------------------------------- */

const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 12 }).setView([15, 20], 3);
const countries = L.layerGroup().addTo(map);
const cluster = L.markerClusterGroup({
  maxClusterRadius: 25, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
  disableClusteringAtZoom: 9, animate: false,
});
map.addLayer(cluster);
let tiles = null;

async function loadCountries() {
  try {
    const response = await fetch("static/vendor/countries-50m.json");
    const topology = await response.json();
    const shapes = topojson.feature(topology, topology.objects.countries);
    L.geoJSON(shapes, { style: { className: "country" }, interactive: false }).addTo(countries);
  } catch (error) {
    console.warn("no country shapes (run `make install`):", error);
  }
}

function toggleTiles(on) {
  if (on && !tiles) {
    tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 18, attribution: "© OpenStreetMap contributors",
    });
  }
  if (on) { tiles.addTo(map); countries.remove(); } else {
    if (tiles) tiles.remove();
    countries.addTo(map);
  }
}

function eventParams() {
  const params = { ...state.filters };
  if (state.merged) params.merged = "true";
  if (state.range) { params.since = state.range[0]; params.until = state.range[1]; }
  return params;
}

async function loadEvents() {
  setStatus("loading events…");
  const features = [];
  let next = null;
  do {
    const page = await getJSON("events", { ...eventParams(), format: "geojson", limit: PAGE, cursor: next });
    features.push(...page.features);
    next = page.next;
  } while (next && features.length < MAX_EVENTS);
  state.events = features;
  drawMarkers(features);
  const placed = state.markers.size;
  const what = state.merged ? "merged events" : "events";
  setStatus(next
    ? `the first ${features.length} ${what} by date, ${placed} on the map: brush the timeline or filter to see the rest`
    : `${features.length} ${what}, ${placed} on the map`);
}

function drawMarkers(features) {
  cluster.clearLayers();
  state.markers.clear();
  const layers = [];
  for (const feature of features) {
    if (!feature.geometry) continue;
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const merged = p.merged_id !== undefined;
    const marker = L.circleMarker([lat, lon], {
      radius: radius(p.fatalities), fillColor: colour(p.plover_type), color: "#fff",
      weight: 1, fillOpacity: 0.85,
      className: `event-marker type-${p.plover_type}${merged ? " merged" : ""}`,
    });
    marker.eventId = feature.id;
    marker.bindTooltip(
      `${p.plover_type}${p.acled_sub_event_type ? " · " + p.acled_sub_event_type : ""}` +
      ` — ${p.location_name || ""}, ${p.date_value || "no date"}` +
      (p.fatalities ? ` · ${p.fatalities} killed` : "") +
      (merged ? ` · told by ${p.reports} report${p.reports === 1 ? "" : "s"}` : ""));
    marker.on("click", () => (merged ? showMerged(feature) : showEvent(feature.id)));
    state.markers.set(feature.id, marker);
    layers.push(marker);
  }
  cluster.addLayers(layers);
  sitrep.markerCount = layers.length;
  document.getElementById("map").dataset.markers = String(layers.length);
  if (layers.length && !state.range) {
    map.fitBounds(L.featureGroup(layers).getBounds().pad(0.2), { maxZoom: 6, animate: false });
  }
}

/* -- the event panel ----------------------------------------------------------------------- */

function fieldRows(event) {
  const rows = [];
  const add = (name, value) => {
    if (value !== null && value !== undefined && value !== "") rows.push([name, value]);
  };
  add("event", event.event_id);
  add("report", event.report_id);
  add("PLOVER type", event.plover_type);
  add("mode", event.mode);
  add("CAMEO root", event.cameo_root);
  add("ACLED type", event.acled_event_type);
  add("ACLED sub-event", event.acled_sub_event_type);
  add("trigger", event.trigger && event.trigger.text);
  for (const role of ["actor1", "actor2"]) {
    const a = event[role];
    if (a) add(role, `${a.name} (as written: “${a.text}”)${a.country ? " · " + a.country : ""}${a.sector ? " · " + a.sector : ""}`);
  }
  const loc = event.location;
  if (loc) {
    add("place", loc.name);
    add("admin1 / admin2", [loc.admin1, loc.admin2].filter(Boolean).join(" / "));
    add("country", loc.country_code);
    add("point", loc.lat !== null && loc.lat !== undefined ? `${loc.lat.toFixed(4)}, ${loc.lon.toFixed(4)}` : null);
    add("GeoNames id", loc.geonameid);
    add("geo precision", loc.geo_precision);
  }
  if (event.date) add("date", `${event.date.value} (${event.date.precision})`);
  add("killed", event.fatalities);
  add("injured", event.injured);
  add("arrested", event.arrested);
  add("confidence", event.confidence);
  return rows;
}

/* The report text with the event's sentence and every evidence span marked. */
function highlightedText(text, event) {
  const spans = [];
  const trigger = event.trigger;
  // The event's sentence: the evidence sentence that holds the trigger, else the first one.
  let sentence = null;
  for (const ev of event.evidence) {
    const from = text.lastIndexOf(ev.sentence, ev.start);
    if (from < 0) continue;
    const found = { start: from, end: from + ev.sentence.length, kind: "sentence" };
    if (!sentence) sentence = found;
    if (from <= trigger.start && trigger.start < found.end) { sentence = found; break; }
  }
  if (sentence) spans.push(sentence);
  for (const ev of event.evidence) {
    if (ev.end > ev.start) spans.push({ start: ev.start, end: ev.end, kind: "span", field: ev.field });
  }
  if (trigger.end > trigger.start) spans.push({ start: trigger.start, end: trigger.end, kind: "span", field: "trigger" });
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(Math.max(0, s.start)); cuts.add(Math.min(text.length, s.end)); }
  const points = [...cuts].sort((a, b) => a - b);
  const box = el("div", { class: "report-text", id: "report-text" });
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const inside = spans.filter((s) => s.start <= a && s.end >= b);
    const piece = text.slice(a, b);
    if (!inside.length) { box.append(piece); continue; }
    const fields = inside.filter((s) => s.kind === "span").map((s) => s.field);
    const classes = [fields.length ? "span" : "sentence"];
    if (fields.includes("trigger")) classes.push("trigger");
    const inSentence = inside.some((s) => s.kind === "sentence");
    const node = el("mark", { class: classes.join(" "), title: fields.length ? fields.join(", ") : "the event's sentence" }, piece);
    box.append(inSentence && fields.length ? el("mark", { class: "sentence" }, node) : node);
  }
  return box;
}

async function showEvent(eventId) {
  const panel = document.getElementById("panel");
  state.shown = eventId;
  if (!state.merged) selectMarker(eventId);
  panel.replaceChildren(el("p", { class: "hint" }, "loading…"));
  let detail;
  try {
    detail = await getJSON(`events/${encodeURIComponent(eventId)}`);
  } catch (error) {
    panel.replaceChildren(el("p", { class: "note" }, `could not load the event: ${error.message}`));
    return;
  }
  const e = detail.event;
  const title = `${e.plover_type}${e.acled_sub_event_type ? " · " + e.acled_sub_event_type : ""}` +
    `${e.location ? " — " + e.location.name : ""}${e.date ? ", " + e.date.value : ""}`;
  const table = el("table", { class: "fields" },
    fieldRows(e).map(([name, value]) => el("tr", {}, el("th", {}, name), el("td", {}, String(value)))));
  // One entry per evidence sentence, with the fields it supports and their words.
  const bySentence = new Map();
  for (const ev of e.evidence) {
    const words = detail.report ? detail.report.text.slice(ev.start, ev.end) : "";
    if (!bySentence.has(ev.sentence)) bySentence.set(ev.sentence, []);
    bySentence.get(ev.sentence).push(el("span", { class: "field" }, ev.field), words ? ` “${words}” ` : " ");
  }
  const evidence = el("ul", { class: "evidence" }, [...bySentence].map(([sentence, fields]) =>
    el("li", {}, fields, el("div", {}, el("q", { class: "evidence-sentence" }, sentence)))));
  const sources = el("ul", { class: "sources" }, detail.sources.map((s) => el("li", {},
    el("strong", {}, s.title || s.report_id), " ",
    [s.agencies.join(", "), s.dateline, s.published].filter(Boolean).join(" · "),
    s.url ? [" ", el("a", { href: s.url, target: "_blank", rel: "noopener" }, "link")] : null,
    s.source_path ? el("div", { class: "note" }, s.source_path + (s.source_line ? `:${s.source_line}` : "")) : null)));
  const quotes = detail.quotes.length
    ? el("ul", { class: "quotes" }, detail.quotes.map((q) => el("li", {},
        el("strong", {}, q.speaker.name || "unnamed"),
        q.speaker.role || q.speaker.organisation ? ` (${[q.speaker.role, q.speaker.organisation].filter(Boolean).join(", ")})` : "",
        q.direct ? " said:" : " said that:", el("blockquote", {}, q.text))))
    : el("p", { class: "note" }, detail.quotes_note ? "No quotes stored in this database." : "No quotes about this event.");
  // Who reports or claims the event (attributions), each with the sentence that says so.
  const attribution = e.attribution && e.attribution.length
    ? el("ul", { class: "attribution" }, e.attribution.map((a) => el("li", {},
        el("strong", {}, a.source), ` ${a.kind}`, a.verb && a.verb !== a.kind ? ` (“${a.verb}”)` : "",
        a.evidence ? el("div", {}, el("q", { class: "evidence-sentence" }, a.evidence.sentence)) : null)))
    : el("p", { class: "note" }, "No source is named for this event.");
  panel.replaceChildren(
    el("h2", {}, title), table,
    el("h3", {}, "report (the event's sentence and evidence marked)"),
    detail.report ? highlightedText(detail.report.text, e) : el("p", { class: "note" }, "report not stored"),
    el("h3", {}, "evidence"), evidence,
    el("h3", {}, detail.merged && detail.merged.reports > 1
      ? `sources (one event told by ${detail.merged.reports} reports)` : "sources"), sources,
    el("h3", {}, "reported or claimed by"), attribution,
    el("h3", {}, "quotes"), quotes);
  panel.scrollTop = 0;
}

/* A merged event: its chosen fields, its reports and agencies, and each member event of each
 * report (a click shows that event with its evidence). */
function showMerged(feature) {
  const panel = document.getElementById("panel");
  selectMarker(feature.id);
  const p = feature.properties;
  const rows = [
    ["merged event", p.merged_id], ["PLOVER type", p.plover_type], ["mode", p.mode],
    ["ACLED type", p.acled_event_type], ["ACLED sub-event", p.acled_sub_event_type],
    ["actor1", p.actor1_name], ["actor2", p.actor2_name], ["place", p.location_name],
    ["admin1", p.admin1], ["country", p.country_code],
    ["date", p.date_value ? `${p.date_value} (${p.date_precision})` : null],
    ["killed (lowest any report gives)", p.fatalities], ["injured", p.injured], ["arrested", p.arrested],
    ["reports", p.reports], ["distinct sources", p.sources], ["agencies", (p.agencies || []).join(", ")],
  ].filter(([, value]) => value !== null && value !== undefined && value !== "");
  const table = el("table", { class: "fields" },
    rows.map(([name, value]) => el("tr", {}, el("th", {}, name), el("td", {}, String(value)))));
  const members = el("ul", { class: "members" }, (p.event_ids || []).map((id) => el("li", {},
    el("button", { type: "button", class: "member", "data-event": id }, id))));
  for (const button of members.querySelectorAll("button.member")) {
    button.addEventListener("click", () => showEvent(button.dataset.event));
  }
  panel.replaceChildren(
    el("h2", {}, `${p.plover_type} — ${p.location_name || "no place"}, ${p.date_value || "no date"}`),
    el("p", { class: "note" }, `one event told by ${p.reports} report${p.reports === 1 ? "" : "s"}`),
    table,
    el("h3", {}, "its events, report by report (click one for its evidence)"), members,
    el("h3", {}, "reports"), el("ul", { class: "sources" }, (p.report_ids || []).map((r) => el("li", {}, r))));
  panel.scrollTop = 0;
}

function selectMarker(id) {
  if (state.selected && state.markers.get(state.selected)) {
    const old = state.markers.get(state.selected).getElement();
    if (old) old.classList.remove("selected");
  }
  state.selected = id;
  const marker = state.markers.get(id);
  if (marker && marker.getElement()) marker.getElement().classList.add("selected");
}

/* -- the timeline -------------------------------------------------------------------------- */

const DAY = 86400000;
const svg = document.getElementById("timeline");
const SVGNS = "http://www.w3.org/2000/svg";
let timeScale = null;

function svgEl(tag, attrs) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}
function dayNumber(iso) { return Date.parse(iso + "T00:00:00Z") / DAY; }
function isoDay(number) { return new Date(Math.round(number) * DAY).toISOString().slice(0, 10); }

async function loadTimeline() {
  const stats = await getJSON("stats", state.filters);
  drawTimeline(stats.days);
}

function drawTimeline(days) {
  svg.replaceChildren();
  const width = svg.clientWidth || 800, height = svg.clientHeight || 110;
  const left = 28, bottom = 18, top = 6, right = 8;
  if (!days.length) { timeScale = null; return; }
  const first = dayNumber(days[0].day) - 1, last = dayNumber(days[days.length - 1].day) + 1;
  const perDay = new Map();
  for (const row of days) {
    const list = perDay.get(row.day) || [];
    list.push(row);
    perDay.set(row.day, list);
  }
  const maxCount = Math.max(...[...perDay.values()].map((rows) => rows.reduce((n, r) => n + r.count, 0)));
  const x = (d) => left + ((d - first) / (last - first)) * (width - left - right);
  const y = (n) => height - bottom - (n / maxCount) * (height - bottom - top);
  timeScale = { first, last, left, right, width, x, invert: (px) => first + ((px - left) / (width - left - right)) * (last - first) };
  const barWidth = Math.max(2, (width - left - right) / (last - first) * 0.9);
  const bars = svgEl("g", { class: "bars" });
  for (const [day, rows] of perDay) {
    let base = 0;
    for (const row of rows) {
      const rect = svgEl("rect", {
        x: x(dayNumber(day)) - barWidth / 2, y: y(base + row.count), width: barWidth,
        height: y(base) - y(base + row.count), fill: colour(row.type),
      });
      const tip = svgEl("title", {});
      tip.textContent = `${day}: ${row.count} ${row.type}`;
      rect.append(tip);
      bars.append(rect);
      base += row.count;
    }
  }
  svg.append(bars);
  const axis = svgEl("g", { class: "axis" });
  axis.append(svgEl("line", { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom }));
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const d = first + (i / ticks) * (last - first);
    const anchor = i === 0 ? "start" : i === ticks ? "end" : "middle";
    const label = svgEl("text", { x: x(d), y: height - 4, "text-anchor": anchor });
    label.textContent = isoDay(d);
    axis.append(label);
  }
  const top_label = svgEl("text", { x: 2, y: top + 8 });
  top_label.textContent = String(maxCount);
  axis.append(top_label);
  svg.append(axis);
  drawBrush();
}

function drawBrush() {
  const old = svg.querySelector(".brush");
  if (old) old.remove();
  if (!state.range || !timeScale) return;
  const a = timeScale.x(dayNumber(state.range[0]) - 0.5), b = timeScale.x(dayNumber(state.range[1]) + 0.5);
  svg.append(svgEl("rect", { class: "brush", x: a, y: 0, width: Math.max(1, b - a), height: svg.clientHeight - 18 }));
}

function brushing() {
  let start = null;
  const px = (event) => event.clientX - svg.getBoundingClientRect().left;
  svg.addEventListener("mousedown", (event) => { if (timeScale) { start = px(event); event.preventDefault(); } });
  window.addEventListener("mousemove", (event) => {
    if (start === null) return;
    const now = px(event);
    const old = svg.querySelector(".brush");
    if (old) old.remove();
    svg.append(svgEl("rect", { class: "brush", x: Math.min(start, now), y: 0, width: Math.abs(now - start), height: svg.clientHeight - 18 }));
  });
  window.addEventListener("mouseup", (event) => {
    if (start === null) return;
    const end = px(event);
    const [a, b] = [Math.min(start, end), Math.max(start, end)];
    start = null;
    if (b - a < 3) { setRange(null); return; }
    setRange([isoDay(Math.ceil(timeScale.invert(a))), isoDay(Math.floor(timeScale.invert(b)))]);
  });
}

function setRange(range) {
  state.range = range;
  document.getElementById("range-text").textContent = range ? `${range[0]} to ${range[1]}` : "all dates";
  document.getElementById("range-clear").hidden = !range;
  drawBrush();
  refreshEvents();
}

/* -- filters and start-up ------------------------------------------------------------------ */

async function loadFacets() {
  const facets = await getJSON("facets");
  const typeSelect = document.getElementById("f-type");
  for (const row of facets.types) typeSelect.append(el("option", { value: row.value }, `${row.value} (${row.count})`));
  const countrySelect = document.getElementById("f-country");
  for (const row of facets.countries) countrySelect.append(el("option", { value: row.value }, `${row.name} (${row.count})`));
  const actors = document.getElementById("actor-names");
  for (const row of facets.actors) actors.append(el("option", { value: row.value }));
  const legend = document.getElementById("legend");
  for (const row of facets.types) legend.append(el("span", {}, el("i", { style: `background:${colour(row.value)}` }), row.value));
}

/* Loads run one after another; the page is `ready` (for people and tests) when none is left. */
let loading = Promise.resolve();
let pending = 0;
function queue(task) {
  pending += 1;
  sitrep.ready = false;
  loading = loading.then(task).catch((error) => setStatus(`error: ${error.message}`))
    .then(() => { pending -= 1; sitrep.ready = pending === 0; });
  return loading;
}
function refreshEvents() { return queue(loadEvents); }
function refreshAll() { return queue(() => Promise.all([loadEvents(), loadTimeline()])); }

function readFilters() {
  state.merged = document.getElementById("f-merged").checked;
  state.filters = {
    type: document.getElementById("f-type").value,
    country: document.getElementById("f-country").value,
    actor: document.getElementById("f-actor").value.trim(),
  };
}

function wireFilters() {
  for (const id of ["f-type", "f-country", "f-actor"]) {
    document.getElementById(id).addEventListener("change", () => { readFilters(); refreshAll(); });
  }
  // Report-level events or merged events: the same filters and range, other markers.
  document.getElementById("f-merged").addEventListener("change", () => {
    readFilters();
    document.getElementById("panel").replaceChildren(el("p", { class: "hint" }, state.merged
      ? "Click a merged event to see its fields, its reports and each report's events."
      : "Click an event on the map to see every field, its evidence in the report, its sources and the quotes."));
    refreshEvents();
  });
  document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());
  document.getElementById("f-reset").addEventListener("click", () => {
    document.getElementById("filters").reset();
    readFilters();
    state.range = null;
    setRange(null);
    loadTimeline();
  });
  document.getElementById("f-tiles").addEventListener("change", (event) => toggleTiles(event.target.checked));
  document.getElementById("range-clear").addEventListener("click", () => setRange(null));
  window.addEventListener("resize", () => loadTimeline());
}

async function start() {
  wireFilters();
  brushing();
  await loadCountries();
  try {
    await loadFacets();
  } catch (error) {
    setStatus(`error: ${error.message}`);
  }
  await refreshAll();
}

start();
