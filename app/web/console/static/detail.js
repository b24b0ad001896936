// Renders one case: summary, screening results, answers, the conversation and notes.
import { $, el, show } from "./dom.js";
import { age, clock, locale, t } from "./i18n.js";

export function summary(esc) {
  const box = $("#case-summary");
  box.replaceChildren(...[
    el("span", { class: `badge p-${esc.priority}` }, t(`priority_${esc.priority}`)),
    el("span", { class: `status s-${esc.status}` }, t(`status_${esc.status}`)),
    esc.overdue ? el("span", { class: "badge overdue" }, t("overdue")) : null,
    el("p", { class: "reason" }, esc.reason_i18n?.[locale] ?? esc.reason),
    esc.trigger ? el("p", { class: "trigger" }, el("span", { class: "muted small" }, `${t("trigger")}: `),
      el("q", {}, esc.trigger)) : null,
    el("p", { class: "muted small" },
      [t(`source_${esc.source}`), esc.scale ? `${esc.scale_name || esc.scale} · ${esc.score ?? "–"}` : null,
        [esc.org_name ?? esc.org, esc.unit_name ?? esc.unit].filter(Boolean).join(" / ") || null,
        esc.centre ? t("tl_now_at", { centre: esc.centre_name ?? esc.centre }) : null,
        `${t("col_age")}: ${age(esc.created_at)}`, `${t("col_due")}: ${clock(esc.due_at)}`,
        esc.claimed_by ? t("claimed_by", { name: esc.claimed_by }) : null].filter(Boolean).join(" · ")),
  ].filter(Boolean));
}

export function results(list) {
  const ul = $("#results");
  ul.replaceChildren(...(list.length ? list.map((r) => el("li", { class: `risk-${r.risk}` },
    el("strong", {}, r.scale_name || r.scale), " ", t("score_of", { score: r.score, max: r.max_score }), " · ",
    r.band_label, r.risk !== "none" ? el("span", { class: `badge p-${r.risk}` }, t(`priority_${r.risk}`)) : null,
    el("span", { class: "muted small" }, ` ${clock(r.completed_at)}`))) : [el("li", { class: "muted" }, t("no_results"))]));
}

export function answers(sets) {
  const box = $("#answers");
  box.replaceChildren(...sets.map((set) => el("details", { open: true },
    el("summary", {}, `${set.scale_name || set.scale} (${set.items.length})`),
    el("ol", { class: "answers" }, set.items.map((a) => el("li", { value: a.number, class: a.value > 0 ? "pos" : "" },
      el("span", { class: "item" }, a.text), el("span", { class: "label" }, `${a.label} (${a.value})`),
      a.free_text ? el("span", { class: "muted small" }, t("free_text", { text: a.free_text })) : null))))));
}

export function appendMessages(messages) {
  const ol = $("#chat");
  for (const m of messages) {
    if (ol.querySelector(`[data-seq="${m.seq}"]`)) continue;
    ol.append(el("li", { class: `msg from-${m.sender}`, dataset: { seq: m.seq } },
      el("span", { class: "who" }, `${t(`sender_${m.sender}`)} · ${clock(m.created_at)}`),
      el("span", { class: "text" }, m.text)));
  }
  ol.scrollTop = ol.scrollHeight;
}

export function notes(list) {
  $("#notes").replaceChildren(...list.map(addableNote));
}

export function addableNote(n) {
  return el("li", {}, el("span", { class: "muted small" }, `${n.author} · ${clock(n.created_at)}`),
    el("span", { class: "text" }, n.text));
}

// Where the case has been: raised, referred up (window passed, out of hours), transferred (by whom, why),
// re-alerted at the root, claimed, resolved — oldest first.
export function timeline(esc) {
  const name = (id, label) => label ?? id ?? t("centre_unknown");
  const moves = esc.referrals || [];
  const first = moves.length ? name(moves[0].from, moves[0].from_name) : (esc.centre ? name(esc.centre, esc.centre_name) : null);
  const items = [{ at: esc.created_at, kind: "raised", text: first ? t("tl_raised", { centre: first }) : t("tl_raised_nowhere") }];
  for (const m of moves) {
    const params = { from: name(m.from, m.from_name), to: name(m.to, m.to_name), by: m.by ?? "" };
    items.push({ at: m.at, kind: m.reason, text: t(`tl_${m.reason}`, params),
      note: m.note ? t("tl_reason", { text: m.note }) : null });
  }
  if (esc.claimed_at && esc.claimed_by) items.push({ at: esc.claimed_at, kind: "claimed", text: t("tl_claimed", { name: esc.claimed_by }) });
  if (esc.resolved_at) items.push({ at: esc.resolved_at, kind: "resolved", text: t("tl_resolved", { outcome: t(`outcome_${esc.outcome}`) }) });
  items.sort((a, b) => a.at.localeCompare(b.at));
  $("#timeline").replaceChildren(...items.map((i) => el("li", { class: `tl tl-${i.kind}` },
    el("time", { datetime: i.at, class: "muted small" }, clock(i.at)), el("span", { class: "what" }, i.text),
    i.note ? el("q", { class: "note" }, i.note) : null)));
}

export function centreChoices(centres, esc) {
  const select = $("#refer-form select");
  const keep = select.value;
  select.replaceChildren(...centres.filter((c) => c.id !== esc.centre)
    .map((c) => el("option", { value: c.id }, c.name)));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

export function controls(esc, me) {
  const mine = esc.claimed_by === me.username;
  const live = esc.status === "claimed" && mine;
  show($("#btn-claim"), esc.status === "open");
  show($("#btn-release"), esc.status === "claimed" && (mine || me.role === "admin"));
  show($("#transfer-form"), esc.status === "claimed" && (mine || me.role === "admin"));
  show($("#refer-form"), esc.status === "open" || (esc.status === "claimed" && (mine || me.role === "admin")));
  show($("#chat-form"), live);
  show($("#chat-locked"), esc.status === "open");
  show($("#note-form"), mine || me.role === "admin");
  const closable = live || (esc.status === "withdrawn" && !esc.resolved_at && (!esc.claimed_by || mine));
  show($("#resolve-form"), closable);
  const info = $("#resolved-info");
  info.textContent = esc.outcome ? t("resolved_as", { outcome: t(`outcome_${esc.outcome}`), when: clock(esc.resolved_at) }) : "";
  show(info, Boolean(esc.outcome));
  show($("#no-content"), esc.status === "withdrawn");
}
