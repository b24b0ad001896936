// One campaign's page: its unit links (copy, A4 poster), read-only share links (campaign-share.js), participation per
// unit against headcount and the campaign report per unit, each figure with the API's ± and its suppression shown in
// words. Printable for unit leaders.
import { $, api, copy, el, pm, t } from "./common.js";
import { scaleName } from "./campaigns.js";
import { drawParticipation, percent } from "./participation.js";
import { showShares } from "./campaign-share.js";

let current = null;

// Printed (the button or the browser's own print), "how to read these figures" is part of the page.
window.addEventListener("beforeprint", () => document.querySelectorAll("#campaign-detail details").forEach((d) => { d.open = true; }));

export async function showCampaign(c) {
  current = c;
  $("campaign-detail").hidden = false;
  $("detail-name").textContent = c.name;
  $("detail-dates").textContent = `${t("date_range", { from: c.opens_on, to: c.closes_on })} · ${t(`state_${c.status}`)}` +
    ` · ${c.scales.map(scaleName).join(t("list_sep"))}` + (c.message ? ` · ${t("widget_message", { text: c.message })}` : "");
  $("detail-copied").textContent = "";
  $("detail-print").onclick = () => window.print();
  $("detail-share").onclick = () => copy(location.href, $("detail-copied"));
  drawLinks(c);
  $("report-scale").replaceChildren(...c.scales.map((id) => new Option(scaleName(id), id)));
  $("report-scale").onchange = () => loadReport(c);
  document.querySelectorAll("#campaigns-table tbody tr").forEach((tr) => tr.classList.toggle("selected", tr.dataset.id === c.id));
  await Promise.all([loadParticipation(c), loadReport(c), showShares(c)]);
}

function drawLinks(c) {
  $("links-table").tHead.replaceChildren(el("tr", {}, ...["group", "campaign_link", "", ""].map(
    (key) => el("th", { textContent: key ? t(key) : "" }))));
  $("links-table").tBodies[0].replaceChildren(...c.links.map((link) => {
    const status = el("span", { className: "note copied", role: "status" });
    const poster = el("a", { className: "poster-link", textContent: t("poster_a4"), href: link.poster });
    poster.setAttribute("aria-label", `${t("poster_a4")} · ${link.name}`);
    const button = el("button", { type: "button", className: "secondary", textContent: t("copy_link"),
      onclick: () => copy(link.link, status) });
    button.setAttribute("aria-label", `${t("copy_link")} · ${link.name}`);
    return el("tr", {}, el("td", { textContent: link.name }), el("td", {}, el("code", { className: "link", textContent: link.link })),
      el("td", {}, button, status), el("td", {}, poster));
  }));
}

async function loadParticipation(c) {
  $("participation-error").textContent = "";
  let p;
  try {
    p = await (await api(`/orgs/${encodeURIComponent(c.org)}/campaigns/${c.id}/participation`)).json();
  } catch (err) {
    $("participation-error").textContent = t("error", { detail: err.message });
    return;
  }
  if (current !== c) return;
  drawParticipation(p);
}

async function loadReport(c) {
  $("campaign-report-error").textContent = "";
  const scale = $("report-scale").value;
  $("report-scale-name").textContent = scaleName(scale);  // the select is not printed
  let r;
  try {
    r = await (await api(`/orgs/${encodeURIComponent(c.org)}/campaigns/${c.id}/report?scale=${encodeURIComponent(scale)}`)).json();
  } catch (err) {
    $("campaign-report-error").textContent = t("error", { detail: err.message });
    return;
  }
  if (current !== c) return;
  $("report-period").textContent = r.from ? t("report_period", { from: r.from, to: r.to }) : "";
  const shown = r.units.some((u) => !u.suppressed);
  $("report-empty").hidden = shown;
  $("report-empty").textContent = shown ? "" : t(r.status === "scheduled" ? "report_not_open" : "report_few", { k: r.k });
  drawReport(r);
}

function bandName(r, bands) {
  const label = (id) => r.bands.find((b) => b.id === id)?.label[document.documentElement.lang] ?? id;
  return bands.length === 1 ? label(bands[0]) : `${label(bands[0])} – ${label(bands[bands.length - 1])}`;
}

// The API gives the share only where a band pool starts at "moderate"; its ± comes from the pools' noise. A range
// wider than ±25 points tells HR nothing, so it is called too uncertain.
function moderatePlus(cell) {
  const share = cell.share_moderate_plus;
  if (share == null) return el("td", { className: "suppressed", textContent: t("moderate_plus_pooled") });
  const margin = cell.share_moderate_plus_margin ?? 0;
  if (margin > 0.25) return el("td", { className: "suppressed", textContent: t("mean_unsure") });  // as the API does for means
  return el("td", { textContent: t("share_range", { share: percent(share), low: percent(Math.max(0, share - margin)),
    high: percent(Math.min(1, share + margin)) }) });
}

// The previous campaign's share as its own page showed it, and the API's verdict in words: "higher"/"lower" only
// when the two intervals do not overlap, so HR is never told of a change the noise could have made.
function trend(cell) {
  const before = cell.previous;
  if (!before) return el("td", { className: "suppressed", textContent: t("trend_none") });
  const share = before.share_moderate_plus;
  const margin = before.share_moderate_plus_margin ?? 0;
  const figure = share == null ? "—" : t("share_range", { share: percent(share), low: percent(Math.max(0, share - margin)),
    high: percent(Math.min(1, share + margin)) });
  const says = before.says ? before.says[document.documentElement.lang] ?? before.says.en : t("trend_unknown");
  return el("td", { className: "trend" },
    el("div", { textContent: t("trend_previous", { name: before.name, opens: before.opens_on, closes: before.closes_on, share: figure }) }),
    el("strong", { className: `change ${before.change ?? "unknown"}`, textContent: says }));
}

function drawReport(r) {
  $("report-table").tHead.replaceChildren(el("tr", {}, ...["group", "n", "bands", "moderate_plus", "mean", "trend"].map((key) => el("th", { textContent: t(key) }))));
  $("report-table").hidden = !r.units.length;
  $("report-table").tBodies[0].replaceChildren(...r.units.map((cell) => {
    const tr = el("tr", {}, el("td", { textContent: cell.label }));
    if (cell.suppressed) {
      tr.append(el("td", { className: "suppressed", colSpan: 4, textContent: t("report_unit_few", { k: r.k }) }), trend(cell));
      return tr;
    }
    const order = r.bands.map((b) => b.id);
    const groups = [...(cell.band_groups || [])].sort((a, b) => order.indexOf(a.bands[0]) - order.indexOf(b.bands[0]));
    const list = el("ul", { className: "bands" }, ...groups.map((g) => el("li", {},
      el("span", { className: `swatch sev-${Math.min(4, order.indexOf(g.bands[0]))}` }), `${bandName(r, g.bands)}: ${pm(g.n, g.margin)}`)));
    const mean = cell.mean_score == null ? t("mean_unsure") : pm(cell.mean_score, cell.mean_margin);
    tr.append(el("td", { textContent: pm(cell.n, cell.n_margin) }), el("td", {}, list), moderatePlus(cell),
      el("td", { textContent: mean }), trend(cell));
    return tr;
  }));
}
