// One campaign's participation table (opened, consented, completed against headcount, each with its ±, and the
// completed share with its range), drawn from the API's released figures only. Shared by the HR campaign page and
// the read-only page a share link opens, so unit leaders see exactly what HR sees.
import { $, el, pm, t } from "./common.js";

export const percent = (x) => `${Math.round(x * 100)}%`;

// completed of the headcount, with the interval the completed count's ± gives (the API's share is the centre)
function shareCell(row) {
  if (row.completed_share == null || row.completed == null || !row.headcount) return el("td", { textContent: "—" });
  const low = Math.max(0, (row.completed - (row.completed_margin ?? 0)) / row.headcount);
  const high = Math.min(1, (row.completed + (row.completed_margin ?? 0)) / row.headcount);
  const range = el("span", { className: "bar-range" });
  const value = el("span", { className: "bar-value" });
  Object.assign(range.style, { left: `${low * 100}%`, width: `${(high - low) * 100}%` });  // CSSOM: allowed by the CSP
  value.style.left = `${row.completed_share * 100}%`;
  const bar = el("span", { className: "bar" }, range, value);
  bar.setAttribute("aria-hidden", "true");
  return el("td", {}, el("span", { textContent: t("share_range", { share: percent(row.completed_share), low: percent(low), high: percent(high) }) }), bar);
}

function figure(row, kind, k) {
  return row[kind] == null ? el("td", { className: "suppressed", textContent: t("below_k", { k }) })
    : el("td", { textContent: pm(row[kind], row[`${kind}_margin`]) });
}

// Fills #participation-period, -empty, -table and -method (the same ids on both pages) from one API answer.
export function drawParticipation(p) {
  const through = p.privacy.counted_through;
  $("participation-period").textContent = through ? t("counted_through", { day: through }) : "";
  const shown = p.units.some((r) => !r.suppressed);
  $("participation-empty").hidden = shown;
  $("participation-empty").textContent = shown ? "" : t(through ? "participation_few" : "participation_not_yet", { k: p.k });
  $("participation-table").hidden = !through;  // nothing counted yet: the sentence says all there is
  $("participation-table").tHead.replaceChildren(el("tr", {}, ...["group", "headcount", "opened", "consented", "completed", "completed_share"]
    .map((key) => el("th", { textContent: t(key) }))));
  const rows = [...p.units, { ...p.total, label: t("total") }].map((r) => {
    const tr = el("tr", { className: r.unit === "total" ? "total" : "" }, el("td", { textContent: r.label }),
      el("td", { textContent: r.headcount ?? "—" }));
    if (r.suppressed) {
      tr.append(el("td", { className: "suppressed", colSpan: 4,
        textContent: r.unit === "total" ? t("total_not_yet") : t("unit_not_yet", { k: p.k }) }));
      return tr;
    }
    tr.append(figure(r, "opened", p.k), figure(r, "consented", p.k), figure(r, "completed", p.k), shareCell(r));
    return tr;
  });
  $("participation-table").tBodies[0].replaceChildren(...rows);
  $("participation-method").replaceChildren(...["part_method_k", "method_noise", "method_margin", "part_method_budget"].map(
    (key) => el("li", { textContent: t(key, { k: p.k, month: p.privacy.epsilon_month, running: p.privacy.epsilon_running }) })));
}
