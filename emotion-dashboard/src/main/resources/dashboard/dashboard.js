// The dashboard page: one server-sent-event stream of snapshots for the selected scope, rendered at most once per
// animation frame (the server already sends at most one update per interval), each section only when it changed.
"use strict";

const EMOTIONS = ["happy", "angry", "sad", "fear", "surprise", "neutral"];
const NAMES = {happy: "积极 happy", angry: "愤怒 angry", sad: "悲伤 sad", fear: "恐惧 fear", surprise: "惊奇 surprise",
  neutral: "无情绪 neutral"};
const COLORS = {happy: "#f2b705", angry: "#d64541", sad: "#3a7bd5", fear: "#8e5ec9", surprise: "#1fb5a8", neutral: "#a0a7b1"};
const CJK_FONT = getComputedStyle(document.documentElement).getPropertyValue("--cjk").trim();

let scope = new URLSearchParams(location.search).get("scope") || "global";
let source = null;
let latest = null;
let scheduled = false;
let lastUpdate = 0;
const rendered = {};

const chart = echarts.init(document.getElementById("chart-shares"), null, {renderer: "canvas"});
chart.setOption({
  textStyle: {fontFamily: CJK_FONT},
  animation: false,
  grid: {left: 48, right: 16, top: 36, bottom: 40},
  legend: {top: 0, data: EMOTIONS.map(e => NAMES[e])},
  tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, formatter: tooltip},
  xAxis: {type: "category", data: []},
  yAxis: {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}},
  series: EMOTIONS.map(e => ({id: e, name: NAMES[e], type: "bar", stack: "share", barCategoryGap: "12%",
    itemStyle: {color: COLORS[e]}, emphasis: {focus: "series"}, data: []}))
});
window.addEventListener("resize", () => chart.resize());
// For tests and people who want to look inside: the chart and the last update.
window.dashboard = {chart, latest: () => latest};

function connect() {
  if (source) source.close();
  source = new EventSource("/api/updates?scope=" + encodeURIComponent(scope));
  source.addEventListener("update", ev => {
    latest = JSON.parse(ev.data);
    lastUpdate = Date.now();
    setConnection(true);
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(() => { scheduled = false; render(latest); });
    }
  });
  source.addEventListener("refused", ev => setConnection(false, ev.data));
  // EventSource reconnects by itself: say so only when no update came for a few seconds after an error.
  source.onerror = () => {
    const at = lastUpdate;
    setTimeout(() => { if (lastUpdate === at) setConnection(false, "reconnecting…"); }, 3000);
  };
}

function select(newScope) {
  if (newScope === scope) return;
  scope = newScope;
  history.replaceState(null, "", scope === "global" ? location.pathname : "?scope=" + encodeURIComponent(scope));
  Object.keys(rendered).forEach(k => delete rendered[k]);
  connect();
}

function setConnection(on, text) {
  const el = document.getElementById("connection");
  el.className = "pill " + (on ? "on" : "off");
  el.textContent = on ? "live" : (text || "offline");
}

/** Runs fn(value) only when value differs from what the section last rendered. */
function section(name, value, fn) {
  const key = JSON.stringify(value);
  if (rendered[name] === key) return;
  rendered[name] = key;
  fn(value);
}

function render(u) {
  const d = u.data;
  document.getElementById("updated").textContent = "updated " + clock(d.generatedAt);
  section("kpis", [d.throughput, d.latency, d.deadLetters.total, d.late], renderKpis);
  section("windows", [d.scope, d.windows, d.historyMillis], () => renderWindows(d));
  section("topics", [d.scope, d.topics], () => renderTopics(d));
  section("models", d.models, renderModels);
  section("alerts", d.alerts, renderAlerts);
  section("dead", d.deadLetters.recent, renderDeadLetters);
  section("rollout", d.rollout, renderRollout);
  const s = u.server;
  document.getElementById("server").textContent = `server: ${s.updates} updates, build p50 ${s.buildMs[0].toFixed(2)} ms`
    + ` / p99 ${s.buildMs[1].toFixed(2)} ms, send p99 ${s.sendMs[1].toFixed(2)} ms, ${s.clients} page(s), every ≥ ${s.intervalMs} ms`
    + ` · feed: ${d.feed.records} records read, ${d.feed.undecodable} undecodable, ${d.feed.textsHeld} post texts,`
    + ` ${d.feed.topicsHeld} topics, ${d.feed.windowsHeld} windows held`;
}

function renderKpis([t, lat, dead, late]) {
  text("kpi-posts", t.postsPerSecond.toFixed(1));
  text("kpi-events", t.eventsPerSecond.toFixed(1));
  text("kpi-p50", lat.p50Ms < 0 ? "–" : lat.p50Ms + " ms");
  text("kpi-p99", lat.p99Ms < 0 ? "–" : lat.p99Ms + " ms");
  text("kpi-dead", String(dead));
  text("kpi-late", String(late.lateEvents));
  text("kpi-revisions", `${late.revisions} window revision(s) · ${late.lateRecords} LATE record(s)`);
}

function renderWindows(d) {
  text("scope-title", d.scope === "global" ? "global" : "#" + d.scope.replace(/^topic:/, "") + "#");
  text("history-hint", `last ${Math.round(d.historyMillis / 60000)} min of event time · newest revision + LATE records per window`);
  const windows = d.windows;
  const short = windows.length > 0 && windows[0].end - windows[0].start < 60000;
  chart.setOption({
    xAxis: {data: windows.map(w => clock(w.start, short))},
    series: EMOTIONS.map((e, i) => ({id: e, data: windows.map(w => ({
      value: w.total === 0 ? 0 : 100 * w.counts[i] / w.total,
      count: w.counts[i], total: w.total, start: w.start, end: w.end, revision: w.revision, lateEvents: w.lateEvents}))}))
  });
  const rows = windows.slice(-6).reverse().map(w => `<tr data-start="${w.start}"><td>${clock(w.start, short)}–${clock(w.end, short)}</td>`
    + `<td>${w.total}</td><td>${w.revision < 0 ? "LATE" : w.revision}${w.lateEvents ? " +" + w.lateEvents + " late" : ""}</td>`
    + EMOTIONS.map((e, i) => `<td>${pct(w.counts[i], w.total)}</td>`).join("") + "</tr>");
  document.querySelector("#latest-windows tbody").innerHTML = rows.join("")
    || `<tr><td colspan="9" class="empty">no window yet for this scope</td></tr>`;
}

function tooltip(params) {
  if (!params.length) return "";
  const w = params[0].data;
  let out = `<b>${clock(w.start)}–${clock(w.end)}</b> · ${w.total} posts · revision ${w.revision < 0 ? "LATE only" : w.revision}`
    + (w.lateEvents ? ` · ${w.lateEvents} late` : "") + "<br>";
  params.forEach(p => { out += `${p.marker}${esc(p.seriesName)}: ${p.data.count} (${p.data.value.toFixed(1)}%)<br>`; });
  return out;
}

function renderTopics(d) {
  const items = [{scope: "global", name: "global", posts: null}].concat(d.topics.map(t => ({scope: t.scope, name: "#" + t.name + "#", posts: t.posts})));
  if (d.scope !== "global" && !items.some(i => i.scope === d.scope)) {
    items.push({scope: d.scope, name: "#" + d.scope.replace(/^topic:/, "") + "#", posts: null});
  }
  const ul = document.getElementById("topics");
  ul.innerHTML = items.map(i => `<li data-scope="${esc(i.scope)}" class="${i.scope === d.scope ? "selected" : ""}">`
    + `<span>${esc(i.name)}</span><span class="n">${i.posts == null ? "" : i.posts + " posts"}</span></li>`).join("");
  ul.querySelectorAll("li").forEach(li => li.addEventListener("click", () => select(li.dataset.scope)));
}

function renderModels(m) {
  const el = document.getElementById("models");
  if (!m.taskManagers.length) {
    el.innerHTML = `<p class="empty">no model-status report yet</p>`;
  } else {
    el.innerHTML = m.taskManagers.map(tm => `<div class="tm" data-tm="${esc(tm.id)}"><div class="id">TaskManager ${esc(tm.id)}</div>`
      + tm.serving.map(s => `<div class="serving"><span class="version">${esc(s.model)}/${esc(s.version)}</span>`
        + ` on subtask${s.subtasks.length > 1 ? "s" : ""} ${s.subtasks.join(", ")}</div>`).join("")
      + tm.candidates.map(c => `<div class="candidate" data-role="${esc(c.role)}">${esc(c.role)}`
        + `${c.fraction == null ? "" : " " + Math.round(c.fraction * 1000) / 10 + "%"} <span class="version">${esc(c.model)}/${esc(c.version)}</span>`
        + ` on subtask${c.subtasks.length > 1 ? "s" : ""} ${c.subtasks.join(", ")}</div>`).join("")
      + tm.loading.map(v => `<div class="loading">loading ${esc(v)} …</div>`).join("") + "</div>").join("")
      + `<div class="hint">job ${esc(m.jobId || "?")}, ${m.parallelism} router subtask(s)</div>`;
  }
  const ul = document.getElementById("refusals");
  ul.innerHTML = m.refusals.map(r => `<li><b>${esc(r.model)}/${esc(r.version)}</b> (${esc(r.trigger)}, ${clock(r.reportedAt)},`
    + ` ${esc(r.where.join("; "))})<div class="reason">${esc(r.reason)}</div></li>`).join("") || `<li class="empty">none</li>`;
}

function renderAlerts(alerts) {
  const tbody = document.querySelector("#alerts tbody");
  tbody.innerHTML = alerts.map(a => `<tr data-emotion="${a.emotion}" data-scope="${esc(a.scope)}" data-kind="${a.kind}">`
    + `<td>${clock(a.detectedAt)}</td>`
    + `<td><span class="badge ${a.kind}">${a.kind}</span> <span class="badge ${a.severity}">${a.severity}</span></td>`
    + `<td><span class="chip ${a.emotion}">${NAMES[a.emotion]}</span></td>`
    + `<td>${esc(a.scope)}</td><td>${clock(a.windowStart)}–${clock(a.windowEnd)}<br><span class="hint">${a.windowTotal} posts</span></td>`
    + `<td>${(100 * a.observed).toFixed(1)}% vs ${(100 * a.baseline).toFixed(1)}%</td><td>${a.score.toFixed(1)}</td>`
    + `<td><ul class="examples">${a.examples.map(x => x.text == null
        ? `<li class="missing" title="${esc(x.id)}">${esc(x.id)}: text not in the cache</li>`
        : `<li class="example" title="${esc(x.id)}">${esc(x.text)}</li>`).join("")}</ul></td></tr>`).join("")
    || `<tr class="empty"><td colspan="8">no alert yet</td></tr>`;
}

function renderRollout(r) {
  document.querySelector("#comparisons tbody").innerHTML = r.comparisons.map(c => `<tr data-serving="${esc(c.serving)}" data-shadow="${esc(c.shadow)}">`
    + `<td>${clock(c.windowStart)}–${clock(c.windowEnd)}</td><td>${esc(c.serving)}</td><td>${esc(c.shadow)}</td>`
    + `<td class="compared">${c.compared}${c.lateCompared ? ` <span class="hint">(${c.lateCompared} late)</span>` : ""}</td>`
    + `<td class="agreement">${c.agreement == null ? "–" : (100 * c.agreement).toFixed(1) + "%"}</td>`
    + `<td><ul class="examples">${c.disagreements.map(x => `<li title="${esc(x.postId)}">`
        + `<span class="chip ${x.servingEmotion}">${NAMES[x.servingEmotion]}</span> ${(100 * x.servingConfidence).toFixed(0)}% → `
        + `<span class="chip ${x.shadowEmotion}">${NAMES[x.shadowEmotion]}</span> ${(100 * x.shadowConfidence).toFixed(0)}% `
        + (x.text == null ? `<span class="missing">${esc(x.postId)}</span>` : esc(x.text)) + `</li>`).join("")}</ul></td></tr>`).join("")
    || `<tr class="empty"><td colspan="6">no comparison yet: a shadow's windows appear as they close</td></tr>`;
  document.getElementById("drift").innerHTML = r.drift.map(a => `<li data-kind="${a.kind}">${clock(a.detectedAt)}`
    + ` <span class="badge ${a.kind === "DRIFT" ? "SPIKE" : "RECOVERY"}">${a.kind}</span> ${esc(a.scope)}`
    + ` ${clock(a.windowStart)}–${clock(a.windowEnd)}: divergence ${a.divergence.toFixed(3)}`
    + ` (mean ${a.meanDivergence.toFixed(3)} over ${a.windows} windows, threshold ${a.threshold.toFixed(3)}, ${a.windowTotal} posts)</li>`).join("")
    || `<li class="empty">none</li>`;
}

function renderDeadLetters(recent) {
  document.getElementById("dead-letters").innerHTML = recent.map(d => `<li>${clock(d.failedAt)} <b>${esc(d.stage)}</b>`
    + ` ${esc(d.source)}<div class="reason">${esc(d.error)}</div></li>`).join("") || `<li class="empty">none</li>`;
}

function text(id, value) { document.getElementById(id).textContent = value; }
function pct(n, total) { return total === 0 ? "–" : (100 * n / total).toFixed(1) + "%"; }
function clock(millis, seconds) {
  const d = new Date(millis);
  const two = n => String(n).padStart(2, "0");
  return two(d.getHours()) + ":" + two(d.getMinutes()) + (seconds ? ":" + two(d.getSeconds()) : "");
}
function esc(s) {
  return String(s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

connect();
