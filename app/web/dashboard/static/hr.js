// The HR dashboard: signs in with the staff API, reads /api/v1/reports (and campaigns: campaigns.js), draws with
// ECharts served by the app.
import { $, API, TOKEN_KEY, api, authHeader, loadStrings, locale, pickLocale, pm, t, whenUnauthorized } from "./common.js";
import { enterCampaigns, initCampaigns, leaveCampaigns } from "./campaigns.js";

let scales = [];
let lastUnitReport = null;

function showLogin() {
  sessionStorage.removeItem(TOKEN_KEY);
  $("login-view").hidden = false;
  $("login-form").hidden = false;
  $("password-form").hidden = true;
  $("report-view").hidden = true;
  $("nav").hidden = true;
  leaveCampaigns();
  $("logout").hidden = true;
}

let oneTime = null;  // {username, password} while a one-time password waits to be replaced; never stored

async function login(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  await signIn(form.get("username"), form.get("password"));
}

async function signIn(username, password) {
  const res = await fetch(`${API}/auth/token`, { method: "POST", body: new URLSearchParams({ username, password }) });
  if (res.status === 403) {  // a one-time password: choose one before signing in
    oneTime = { username, password };
    $("login-form").hidden = true;
    $("password-form").hidden = false;
    $("password-form").elements.new_password.focus();
    return;
  }
  if (!res.ok) { $("login-error").textContent = t("login_failed"); return; }
  const body = await res.json();
  if (!["hr", "org_admin", "admin"].includes(body.role)) { $("login-error").textContent = t("forbidden"); return; }
  sessionStorage.setItem(TOKEN_KEY, body.access_token);
  $("login-error").textContent = "";
  $("login-form").reset();
  await enter();
}

async function changePassword(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const newPassword = form.get("new_password");
  if (newPassword !== form.get("again")) { $("password-error").textContent = t("password_differs"); return; }
  const res = await fetch(`${API}/auth/password`, {
    method: "POST", body: new URLSearchParams({ ...oneTime, new_password: newPassword }),
  });
  if (!res.ok) { $("password-error").textContent = t(res.status === 422 ? "password_weak" : "login_failed"); return; }
  const { username } = oneTime;
  oneTime = null;
  event.target.reset();
  $("password-error").textContent = "";
  $("password-form").hidden = true;
  $("login-form").hidden = false;
  await signIn(username, newPassword);
}

async function logout() {
  await fetch(`${API}/auth/logout`, { method: "POST", headers: authHeader() });
  showLogin();
}

const monthValue = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;

function lastDay(month) {
  const [y, m] = month.split("-").map(Number);
  return `${month}-${String(new Date(y, m, 0).getDate()).padStart(2, "0")}`;
}

// Signed in: the reports, or the campaign a shared link names (/hr?campaign=ID opens its participation).
async function enter() {
  const me = await fetch(`${API}/auth/me`, { headers: authHeader() });
  if (!me.ok) { showLogin(); return; }
  $("login-view").hidden = true;
  $("nav").hidden = false;
  $("logout").hidden = false;
  scales = await (await fetch(`${API}/scales`)).json();
  initCampaigns(await me.json(), scales);
  if (new URLSearchParams(location.search).get("campaign")) await showCampaigns();
  else await showReports();
}

function selectTab(name) {
  $("nav-reports").setAttribute("aria-pressed", String(name === "reports"));
  $("nav-campaigns").setAttribute("aria-pressed", String(name === "campaigns"));
}

async function showCampaigns() {
  selectTab("campaigns");
  $("report-view").hidden = true;
  await enterCampaigns();
}

async function showReports() {
  selectTab("reports");
  leaveCampaigns();
  $("report-view").hidden = false;
  if (!$("scale").options.length) $("scale").replaceChildren(...scales.map((s) => new Option(s.short_name, s.id)));
  if (!$("to").value) {  // up to this month: the running month counts whole days up to yesterday
    const now = new Date();
    $("to").value = monthValue(now);
    $("from").value = monthValue(new Date(now.getFullYear(), now.getMonth() - 11, 1));
  }
  await refresh();
}

function query(scale, groupBy, extra = "") {
  return `/reports/summary?scale=${encodeURIComponent(scale)}&group_by=${groupBy}` +
    `&from=${$("from").value}-01&to=${lastDay($("to").value)}${extra}`;
}

function cellLabel(cell) {
  if (cell.kind === "org" && cell.group === "org:-") return t("unspecified");
  if (cell.kind === "org") return t("org_level", { org: cell.label });
  return cell.label;
}

function poolName(report, bands) {
  const label = (id) => (report.bands.find((b) => b.id === id)?.label[locale]) ?? id;
  return bands.length === 1 ? label(bands[0]) : `${label(bands[0])} – ${label(bands[bands.length - 1])}`;
}

function chart(id) {
  const el = $(id);
  return window.echarts.getInstanceByDom(el) || window.echarts.init(el);
}

function drawBands(report) {
  const order = report.bands.map((b) => b.id);
  const pools = new Map();
  report.cells.forEach((cell, i) => (cell.band_groups || []).forEach((g) => {
    const key = g.bands.join("+");
    if (!pools.has(key)) pools.set(key, { bands: g.bands, data: new Array(report.cells.length).fill(null) });
    pools.get(key).data[i] = { value: g.n, margin: g.margin };
  }));
  const series = [...pools.values()].sort((a, b) => order.indexOf(a.bands[0]) - order.indexOf(b.bands[0]))
    .map((p) => ({ name: poolName(report, p.bands), type: "bar", stack: "bands", data: p.data }));
  const names = report.cells.map((c) => (c.suppressed ? `${cellLabel(c)} (${t("fewer_than_k", { k: report.k })})` : cellLabel(c)));
  chart("chart-bands").setOption({
    tooltip: { trigger: "axis", formatter: (items) => tooltipText(items) }, legend: { top: 0 }, grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "value" }, yAxis: { type: "category", data: names, inverse: true }, series,
  }, true);
}

function tooltipText(items) {
  const head = items[0]?.axisValueLabel ?? "";
  const lines = items.filter((it) => it.data != null && it.data.value != null)
    .map((it) => `${it.marker}${it.seriesName}: ${pm(it.data.value, it.data.margin)}`);
  return [head, ...lines].join("<br>");
}

function drawTable(report) {
  const head = document.createElement("tr");
  [t("group"), t("n"), t("bands"), t("mean")].forEach((h) => head.append(Object.assign(document.createElement("th"), { textContent: h })));
  $("units-table").tHead.replaceChildren(head);
  const rows = [...report.cells, { ...report.total, label: t("total"), kind: "total" }].map((cell) => {
    const tr = document.createElement("tr");
    const name = Object.assign(document.createElement("td"), { textContent: cell.kind === "total" ? t("total") : cellLabel(cell) });
    if (cell.kind === "unit") name.className = `depth-${Math.min(3, depthOf(report, cell))}`;
    if (cell.kind === "unit" && cell.org) name.append(posterLink(cell.org, cell.group));
    tr.append(name);
    if (cell.suppressed) {
      tr.append(Object.assign(document.createElement("td"), { textContent: t("fewer_than_k", { k: report.k }), className: "suppressed", colSpan: 3 }));
      return tr;
    }
    const dist = (cell.band_groups || []).map((g) => `${poolName(report, g.bands)}: ${pm(g.n, g.margin)}`).join("；");
    const mean = cell.mean_score == null ? t("mean_unsure") : pm(cell.mean_score, cell.mean_margin);
    [pm(cell.n, cell.n_margin), dist, mean].forEach((v) => tr.append(Object.assign(document.createElement("td"), { textContent: v })));
    return tr;
  });
  $("units-table").tBodies[0].replaceChildren(...rows);
}

// The unit's printable A4 QR poster, opened in this tab so it finds the sign-in (sessionStorage is per tab).
function posterLink(org, unit) {
  const link = Object.assign(document.createElement("a"), { textContent: t("poster"), className: "poster-link" });
  link.href = `/hr/poster?${new URLSearchParams({ org, unit })}`;
  return link;
}

function depthOf(report, cell) {
  let depth = 1;
  let parent = cell.parent;
  while (parent && !parent.startsWith("org:") && depth < 5) {
    parent = report.cells.find((c) => c.kind === "unit" && c.group === parent)?.parent;
    depth += 1;
  }
  return depth;
}

function drawMonthly(reports) {
  const months = reports[0]?.months ?? [];
  const lines = (field) => reports.map((r, i) => ({
    name: scales[i].short_name, type: "line", connectNulls: false,
    data: r.cells.map((c) => ({ value: c[field], margin: c[`${field === "n" ? "n" : "mean"}_margin`] })),
  }));
  const base = { tooltip: { trigger: "axis", formatter: (items) => tooltipText(items) }, legend: { top: 0 }, grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: months } };
  chart("chart-participation").setOption({ ...base, yAxis: { type: "value", minInterval: 1 }, series: lines("n") }, true);
  chart("chart-trends").setOption({ ...base, yAxis: { type: "value" }, series: lines("mean_score") }, true);
}

async function refresh(event) {
  event?.preventDefault();
  $("report-error").textContent = "";
  try {
    const scale = $("scale").value;
    const unitReport = await (await api(query(scale, "unit"))).json();
    const monthly = await Promise.all(scales.map(async (s) => (await api(query(s.id, "month"))).json()));
    lastUnitReport = unitReport;
    const running = unitReport.privacy?.running_month;
    $("period").textContent = unitReport.from
      ? t(running ? "period_running" : "period", { from: unitReport.from, to: unitReport.to, month: running })
      : t("no_period");
    const eps = unitReport.privacy ?? { epsilon_month: "—", epsilon_running: "—" };
    $("method").replaceChildren(...["method_k", "method_noise", "method_margin", "method_budget"].map((key) =>
      Object.assign(document.createElement("li"), { textContent: t(key, { k: unitReport.k, month: eps.epsilon_month, running: eps.epsilon_running }) })));
    const shown = unitReport.cells.some((c) => !c.suppressed);
    $("empty").hidden = shown;
    $("empty").textContent = shown ? "" : t("empty", { k: unitReport.k });
    drawBands(unitReport);
    drawTable(unitReport);
    drawMonthly(monthly);
  } catch (err) {
    $("report-error").textContent = t("error", { detail: err.message });
  }
}

async function downloadCsv() {
  try {
    const res = await api(query($("scale").value, "unit", "&format=csv"));
    const name = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "")?.[1] || "report.csv";
    const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(await res.blob()), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  } catch (err) {
    $("report-error").textContent = t("error", { detail: err.message });
  }
}

async function start() {
  await loadStrings(pickLocale());
  $("lang").addEventListener("click", async () => {
    await loadStrings(t("lang_other"));
    if (!$("campaigns-view").hidden) await enterCampaigns();
    else if (lastUnitReport) await refresh();
  });
  $("nav-reports").addEventListener("click", showReports);
  $("nav-campaigns").addEventListener("click", showCampaigns);
  whenUnauthorized(showLogin);
  $("logout").addEventListener("click", logout);
  $("login-form").addEventListener("submit", login);
  $("password-form").addEventListener("submit", changePassword);
  $("controls").addEventListener("submit", refresh);
  $("csv").addEventListener("click", downloadCsv);
  window.addEventListener("resize", () => ["chart-participation", "chart-trends", "chart-bands"]
    .forEach((id) => window.echarts?.getInstanceByDom($(id))?.resize()));
  if (!sessionStorage.getItem(TOKEN_KEY)) { showLogin(); return; }
  await enter();
}

start();
