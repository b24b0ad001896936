// Builds one message row (avatar, name, bubble, card, quick-reply chips), the typing indicator and notices, and
// marks what the server says it recorded and which counsellor messages are unread.
import { resourcesCard, resultCard } from "./cards.js";
import { el, fmt } from "./dom.js";

const PHONE_LINE = /^☎/;

function bubbleText(msg) {
  // A resources card lists the hotlines with tap-to-call links; the text repeats them as plain "☎" lines.
  if (msg.card && msg.card.type === "resources") {
    return msg.text.split("\n").filter((l) => !PHONE_LINE.test(l.trim())).join("\n").trim();
  }
  return msg.text;
}

export function messageRow(msg, S, onChip) {
  const sender = ["employee", "bot", "counsellor", "system"].includes(msg.sender) ? msg.sender : "bot";
  const mine = sender === "employee";
  const who = S[`sender_${sender}`];
  const kind = ["crisis", "safety_question"].includes(msg.kind) ? msg.kind : "text";
  const row = el("div", { class: `msg ${mine ? "mine" : sender} kind-${kind}`, "data-sender": sender,
    "data-id": msg.id || null, "data-seq": Number.isInteger(msg.seq) ? msg.seq : null });
  const body = el("div", { class: "msg-body" });
  if (sender === "counsellor" || sender === "system") body.append(el("p", { class: "sender-name", text: who,
    "aria-hidden": "true" }));
  const card = msg.card && typeof msg.card === "object" ? msg.card : null;
  const text = bubbleText(msg);
  if (card && card.type === "result") {
    body.append(el("span", { class: "sr-only", text: `${who}: ` }), resultCard(card, text, S));
  } else {
    if (text) body.append(el("div", { class: "bubble" }, el("span", { class: "sr-only", text: `${who}: ` }), text));
    if (card && card.type === "resources") body.append(resourcesCard(card, S));
  }
  const buttons = Array.isArray(msg.buttons) ? msg.buttons.filter((b) => b && b.title && b.payload) : [];
  if (buttons.length) {
    body.append(el("div", { class: "chips", role: "group", "aria-label": S.chips_label },
      buttons.map((b) => el("button", { type: "button", class: "chip", "data-payload": b.payload,
        onclick: () => onChip(b) }, b.title))));
  }
  if (!mine) row.append(el("span", { class: "avatar", "aria-hidden": "true", text: S[`avatar_${sender}`] }));
  row.append(body);
  return row;
}

export function typingRow(S) {
  return el("div", { class: "msg bot typing", id: "typing" },
    el("span", { class: "avatar", "aria-hidden": "true", text: S.avatar_bot }),
    el("div", { class: "msg-body" }, el("div", { class: "bubble" },
      el("span", { class: "dot", "aria-hidden": "true" }), el("span", { class: "dot", "aria-hidden": "true" }),
      el("span", { class: "dot", "aria-hidden": "true" }), el("span", { class: "sr-only", text: S.typing }))));
}

// An inline notice: errors get role="alert"; actions are [{label, onClick, primary}].
export function notice(text, actions = [], kind = "error") {
  return el("div", { class: `notice ${kind === "info" ? "info" : ""}`, role: kind === "info" ? "status" : "alert" },
    el("p", { text }),
    actions.length ? el("div", { class: "row" }, actions.map((a) => el("button", {
      type: "button", class: a.primary ? "primary" : null, onclick: a.onClick }, a.label))) : null);
}

function optionOf(payload) {
  const m = /^\/answer(\{.*\})$/.exec(payload || "");
  if (!m) return null;
  try { return JSON.parse(m[1]).option ?? null; } catch { return null; }
}

// `answered` ({option, label, ...}) names the option the bot recorded: the closest earlier row offering that
// option's button gets it marked, so a misread typed answer is visible.
export function markChosen(log, row, answered, S) {
  if (!answered || typeof answered.option !== "string") return;
  const rows = [...log.querySelectorAll(".msg")];
  for (let i = rows.indexOf(row) - 1; i >= 0; i -= 1) {
    const chip = [...rows[i].querySelectorAll(".chip")].find((c) => optionOf(c.dataset.payload) === answered.option);
    if (!chip) continue;
    chip.classList.add("chosen");
    chip.append(el("span", { class: "sr-only", text: ` ${S.chosen}` }));
    return;
  }
}

// A divider before the first unread counsellor message ("未读" / "New") and a badge on each.
export function unreadMarker(log, rows, S) {
  for (const row of rows) {
    row.classList.add("unread");
    row.querySelector(".sender-name")?.append(el("span", { class: "unread-badge", text: S.unread_badge }));
  }
  const marker = el("p", { class: "unread-marker", role: "status" },
    el("span", { text: fmt(S.unread_marker, { n: rows.length }) }));
  log.querySelectorAll(".unread-marker").forEach((m) => m.remove());
  log.insertBefore(marker, rows[0]);
  return marker;
}
