// The bot's extension cards: a screening result (score on a gauge, band in words, advice) and crisis hotlines.
import { el, fmt, svg } from "./dom.js";

const ARC = "M 12 62 A 48 48 0 0 1 108 62";

const RISK_COLOR = { routine: "#d4a20b", high: "#e07b00", urgent: "#d9480f" };

// The backend's risk verdict colours the arc when there is one; otherwise the share of the maximum does.
function gaugeColor(fraction, risk) {
  if (RISK_COLOR[risk]) return RISK_COLOR[risk];
  if (fraction < 0.25) return "#07c160";
  if (fraction < 0.5) return "#d4a20b";
  if (fraction < 0.75) return "#e07b00";
  return "#d9480f";
}

export function gauge(score, max, label, risk) {
  const fraction = max > 0 ? Math.max(0, Math.min(1, score / max)) : 0;
  const pct = Math.round(fraction * 1000) / 10;
  return svg("svg", { class: "gauge", viewBox: "0 0 120 72", role: "img", "aria-label": label },
    svg("path", { class: "track", d: ARC, fill: "none", "stroke-width": 12, "stroke-linecap": "round",
      pathLength: 100 }),
    svg("path", { class: "value", d: ARC, fill: "none", stroke: gaugeColor(fraction, risk), "stroke-width": 12,
      "stroke-linecap": "round", pathLength: 100, "stroke-dasharray": `${pct} 100` }),
    svg("text", { class: "score", x: 60, y: 58, "text-anchor": "middle", text: String(score) }),
    svg("text", { class: "max", x: 60, y: 71, "text-anchor": "middle", text: `/ ${max}` }));
}

export function resultCard(card, fullText, S) {
  const title = fmt(S.result_title, { short_name: card.short_name || card.scale || "" });
  const scoreText = fmt(S.result_score, card);
  const subs = Array.isArray(card.subscales) && card.subscales.length
    ? [el("h4", { text: S.result_subscales }),
      el("ul", { class: "subscales" }, card.subscales.map((s) => el("li", {
        text: fmt(S.result_subscale_line, { ...s, band_label: s.band_label ?? "—" }) })))]
    : [];
  const tips = Array.isArray(card.self_help) && card.self_help.length
    ? [el("h4", { text: S.result_self_help }), el("ul", {}, card.self_help.map((t) => el("li", { text: t })))]
    : [];
  return el("section", { class: "card card-result", "aria-label": title },
    el("h3", { text: title }),
    el("div", { class: "gauge-row" },
      gauge(Number(card.score) || 0, Number(card.max_score) || 0, scoreText, card.risk),
      el("div", {}, el("p", { class: "band", text: fmt(S.result_band, card) }),
        el("p", { class: "band-sub", text: scoreText }))),
    card.explanation ? el("p", { class: "explanation", text: card.explanation }) : null,
    subs, tips,
    fullText ? el("details", {}, el("summary", { text: S.result_details }), el("p", { text: fullText })) : null);
}

// Only tel: links are ever made from the server's data.
function telHref(r) {
  if (typeof r.tel === "string" && /^tel:[+0-9\-(). ]+$/i.test(r.tel)) return r.tel.replace(/\s/g, "");
  const digits = String(r.number || "").replace(/[^0-9+]/g, "");
  return digits ? `tel:${digits}` : null;
}

function phoneIcon() {
  return svg("svg", { viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" },
    svg("path", { d: "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z" }));
}

export function resourceItems(resources, S) {
  return resources.map((r) => {
    const href = telHref(r);
    const label = fmt(S.resources_call, { name: r.name, number: r.number });
    return el("li", {},
      href ? el("a", { class: "call", href }, phoneIcon(), label) : el("p", { class: "call", text: label }),
      r.hours ? el("p", { class: "res-meta", text: fmt(S.resources_hours, r) }) : null,
      r.note ? el("p", { class: "res-meta", text: r.note }) : null);
  });
}

// The call-now bar kept above the conversation once a crisis reply arrives: the emergency numbers (110, 120) and
// the first hotline of the deployment's list, so scrolling never takes them away.
export function crisisLines(resources, S) {
  const list = Array.isArray(resources) ? resources : [];
  const urgent = list.filter((r) => ["110", "120"].includes(String(r.number)));
  const chosen = [...urgent, ...list.filter((r) => !urgent.includes(r)).slice(0, 1)];
  return chosen.map((r) => {
    const href = telHref(r);
    const label = `${r.name} ${r.number}`;
    return el("li", {}, href ? el("a", { class: "call", href }, phoneIcon(), label) : el("span", { text: label }));
  });
}

export function resourcesCard(card, S) {
  const list = Array.isArray(card.resources) ? card.resources : [];
  return el("section", { class: "card card-resources", "aria-label": S.resources_title },
    el("h3", { text: S.resources_title }), el("ul", { class: "resources" }, resourceItems(list, S)));
}
