// The chat controller: start or restore the session, send turns (retries reuse client_msg_id), poll for
// counsellor messages while the page is visible, show progress, and erase on request. The language link keeps the
// conversation (PATCH the session's locale, then reload); counsellor messages not yet seen are marked on return.
import { makeApi, NetworkError, uuid } from "./api.js";
import { fmt } from "./dom.js";
import { setupHelp } from "./help.js";
import { crisisLines } from "./cards.js";
import { markChosen, messageRow, notice, typingRow, unreadMarker } from "./render.js";
import { makeStore } from "./store.js";

const POLL_MS = 4000;
const cfg = JSON.parse(document.body.dataset.config);
const S = JSON.parse(document.body.dataset.strings);
const api = makeApi(cfg.api);
const store = makeStore(cfg.org, cfg.unit, cfg.campaign);

const log = document.getElementById("log");
const form = document.getElementById("composer");
const input = document.getElementById("input");
const sendBtn = document.getElementById("send");
const progress = document.getElementById("progress");

const state = {
  session: null, // {sessionId, token}
  lastSeq: 0, // every message up to this seq is on screen
  maxSeq: 0, // the highest seq on screen (an employee's own message comes back only with a later poll)
  seqs: new Set(),
  ids: new Set(),
  busy: false,
  gen: 0, // bumped by each send, so a poll that raced it is dropped
  polling: false,
  timer: null,
  lastBot: null,
  seen: 0, // the highest seq the employee had on screen (localStorage): counsellor messages after it are unread
  returning: false, // the page was hidden: the next poll's counsellor messages are marked unread
};

function scrollToEnd() {
  log.scrollTop = log.scrollHeight;
}

function markSeq(seq) {
  if (!Number.isInteger(seq)) return;
  state.seqs.add(seq);
  state.maxSeq = Math.max(state.maxSeq, seq);
  while (state.seqs.has(state.lastSeq + 1)) state.lastSeq += 1;
}

function clearNotices() {
  log.querySelectorAll(".notice").forEach((n) => n.remove());
}

function showNotice(text, actions = [], kind = "error") {
  clearNotices();
  log.append(notice(text, actions, kind));
  scrollToEnd();
}

function setTyping(on) {
  document.getElementById("typing")?.remove();
  if (on) { log.append(typingRow(S)); scrollToEnd(); }
}

function refreshChips() {
  const rows = log.querySelectorAll(".msg:not(.typing)");
  const last = rows[rows.length - 1];
  log.querySelectorAll(".chip").forEach((chip) => {
    chip.disabled = state.busy || !last || !last.contains(chip);
  });
}

function refreshProgress() {
  const p = state.lastBot && state.lastBot.progress;
  if (!p || !Number.isFinite(p.total) || p.total <= 0) { progress.hidden = true; return; }
  const answered = Math.max(0, Math.min(p.answered, p.total));
  const text = fmt(S.progress_text, { answered, total: p.total });
  document.getElementById("progress-fill").style.width = `${(answered / p.total) * 100}%`;
  document.getElementById("progress-text").textContent = text;
  progress.setAttribute("aria-valuemax", String(p.total));
  progress.setAttribute("aria-valuenow", String(answered));
  progress.setAttribute("aria-valuetext", text);
  progress.hidden = false;
}

function setBusy(busy) {
  state.busy = busy;
  sendBtn.disabled = busy;
  refreshChips();
}

// A crisis reply pins the call-now bar above the conversation for the rest of it.
function showCrisisBar(msg) {
  const bar = document.getElementById("crisis-bar");
  const lines = crisisLines(msg.card && msg.card.resources, S);
  if (!lines.length) return;
  document.getElementById("crisis-bar-lines").replaceChildren(...lines);
  bar.hidden = false;
}

// Adds server messages once each; the employee's own echo is matched to the bubble already shown. A crisis reply
// is scrolled to its top, so "call now" is what the employee sees first, not the end of the hotline list. With
// `unread` (coming back to the link), counsellor messages after the last seen seq get a marker scrolled into view.
// Nothing new, nothing moves: a poll never scrolls the employee away from what they are reading.
function addMessages(messages, { unread = false } = {}) {
  const typing = document.getElementById("typing");
  let crisisRow = null;
  let added = 0;
  const fresh = [];
  for (const m of [...messages].sort((a, b) => a.seq - b.seq)) {
    if (!m || state.ids.has(m.id)) { markSeq(m && m.seq); continue; }
    state.ids.add(m.id);
    markSeq(m.seq);
    if (m.sender === "employee") {
      const mine = [...log.querySelectorAll(".msg.mine:not([data-seq])")].find((r) => r.dataset.text === m.text);
      if (mine) { mine.dataset.seq = String(m.seq); mine.dataset.id = m.id; continue; }
    }
    const row = messageRow(m, S, onChip);
    if (typing) log.insertBefore(row, typing); else log.append(row);
    added += 1;
    if (m.sender === "bot") state.lastBot = m;
    if (m.answered) markChosen(log, row, m.answered, S);
    if (m.kind === "crisis") { showCrisisBar(m); crisisRow = crisisRow || row; }
    if (unread && m.sender === "counsellor" && Number.isInteger(m.seq) && m.seq > state.seen) fresh.push(row);
  }
  refreshChips();
  refreshProgress();
  const marker = fresh.length ? unreadMarker(log, fresh, S) : null;
  if (marker) log.scrollTop = marker.offsetTop - 8;
  else if (crisisRow) log.scrollTop = crisisRow.offsetTop - 8;
  else if (added) scrollToEnd();  // a poll with nothing new leaves the employee where they are reading
  noteSeen();
}

function noteSeen() {
  if (document.hidden || !state.session || state.maxSeq <= state.seen) return;
  state.seen = state.maxSeq;
  store.markSeen(state.maxSeq);
}

function ownBubble(text) {
  const row = messageRow({ sender: "employee", text, buttons: [] }, S, onChip);
  row.classList.add("pending");
  row.dataset.text = text;
  log.append(row);
  scrollToEnd();
  return row;
}

// A button whose payload is a client action (README, "Message kinds") is done here, not sent as a turn.
const ERASE_PAYLOAD = "xinan:erase";

async function onChip(button) {
  if (state.busy || !state.session) return;
  if (button.payload === ERASE_PAYLOAD) {
    setBusy(true);
    const ok = await clearMyData();
    setBusy(false);
    if (!ok) showNotice(S.clear_failed);
    return;
  }
  send({ payload: button.payload }, button.title);
}

function send(body, shown) {
  const turn = { body: { ...body, client_msg_id: uuid() }, row: ownBubble(shown) };
  clearNotices();
  deliver(turn);
}

async function deliver(turn) {
  const { sessionId, token } = state.session;
  clearNotices();
  turn.row.classList.remove("failed");
  state.gen += 1;
  setBusy(true);
  setTyping(true);
  let res;
  try {
    res = await api.send(sessionId, token, turn.body);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    res = null;
  } finally {
    setTyping(false);
    setBusy(false);
  }
  const retry = { label: S.retry, onClick: () => deliver(turn), primary: true };
  if (res === null) { turn.row.classList.add("failed"); showNotice(S.error_network, [retry]); return; }
  const messages = res.data && Array.isArray(res.data.messages) ? res.data.messages : [];
  if (res.status === 200) { turn.row.classList.remove("pending"); addMessages(messages); return; }
  if (res.status === 503) { addMessages(messages); showNotice(S.error_unavailable, [retry]); return; }
  if (res.status === 429) { showNotice(S.error_rate, [retry]); return; }
  if (res.status === 413) {
    turn.row.remove();
    if (!input.value) input.value = turn.body.text || "";
    showNotice(fmt(S.error_too_long, { max: cfg.maxChars }));
    return;
  }
  if ([401, 404, 410].includes(res.status)) { sessionGone(); return; }
  turn.row.classList.add("failed");
  showNotice(S.error_generic, res.status >= 500 ? [retry] : []);
}

function sessionGone() {
  stopPolling();
  showNotice(S.error_expired, [{ label: S.new_chat, onClick: () => restart(), primary: true }]);
}

function resetView() {
  log.replaceChildren();
  Object.assign(state, { session: null, lastSeq: 0, maxSeq: 0, seqs: new Set(), ids: new Set(), lastBot: null,
    seen: 0 });
  refreshProgress();
}

async function restart(infoText) {
  stopPolling();
  store.clear();
  resetView();
  await startNew(infoText);
}

async function startNew(infoText) {
  let res = null;
  try { res = await api.createSession(cfg.org, cfg.unit, cfg.locale, cfg.campaign); } catch { res = null; }
  if (res && res.status === 422) { showNotice(S.error_link, []); return; }  // a link nobody registered: no retry
  if (!res || res.status !== 201 || !res.data || !res.data.session_id) {
    const text = res && res.status === 429 ? S.error_rate : S.error_start;
    showNotice(text, [{ label: S.retry, onClick: () => { clearNotices(); startNew(infoText); }, primary: true }]);
    return;
  }
  state.session = { sessionId: res.data.session_id, token: res.data.token };
  store.save(state.session.sessionId, state.session.token);
  if (infoText) log.append(notice(infoText, [], "info"));
  addMessages(res.data.messages || []);
  startPolling();
}

async function restore(saved) {
  let res = null;
  try { res = await api.history(saved.sessionId, saved.token, 0); } catch { res = null; }
  if (res && [401, 404, 410].includes(res.status)) { store.clear(); await startNew(); return; }
  if (!res || res.status !== 200) {
    showNotice(S.error_load, [{ label: S.retry, onClick: () => { clearNotices(); restore(saved); }, primary: true }]);
    return;
  }
  state.session = { sessionId: saved.sessionId, token: saved.token };
  state.seen = saved.seen ?? 0; // stored before seqs were remembered: every counsellor message counts as new
  addMessages(res.data.messages || [], { unread: true });
  startPolling();
}

async function poll() {
  if (state.polling || state.busy || !state.session || document.hidden) return;
  state.polling = true;
  const gen = state.gen;
  const { sessionId, token } = state.session;
  try {
    const res = await api.history(sessionId, token, state.lastSeq);
    if (gen !== state.gen || state.busy || !state.session || state.session.sessionId !== sessionId) return;
    if (res.status === 200 && res.data && Array.isArray(res.data.messages)) {
      addMessages(res.data.messages, { unread: state.returning });
      state.returning = false;
    }
    else if ([401, 404, 410].includes(res.status)) sessionGone();
  } catch {
    // offline for a moment: the next poll tries again
  } finally {
    state.polling = false;
  }
}

function startPolling() {
  stopPolling();
  state.timer = setInterval(poll, POLL_MS);
}

function stopPolling() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

async function clearMyData() {
  if (!state.session) { await restart(S.cleared); return true; }
  let res = null;
  try { res = await api.erase(state.session.sessionId, state.session.token); } catch { res = null; }
  if (!res || ![204, 401, 404, 410].includes(res.status)) return false;
  await restart(S.cleared);
  return true;
}

function autoGrow() {
  input.style.height = "auto";
  input.style.height = `${input.scrollHeight + 2}px`;
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text || state.busy || !state.session) return;
  if (text.length > cfg.maxChars) { showNotice(fmt(S.error_too_long, { max: cfg.maxChars })); return; }
  input.value = "";
  autoGrow();
  send({ text }, text);
});
input.addEventListener("keydown", (e) => {
  // Enter sends; Shift+Enter is a new line; Enter that confirms a Chinese IME composition does nothing else.
  if (e.key !== "Enter" || e.shiftKey || e.isComposing || e.keyCode === 229) return;
  e.preventDefault();
  form.requestSubmit();
});
input.addEventListener("input", autoGrow);
document.addEventListener("visibilitychange", () => {
  if (document.hidden) { state.returning = true; return; }
  noteSeen();
  poll();
});

// The language link keeps the conversation: the server switches the session's locale (re-asking an open item in
// it), then the page reloads in the new language and restores the same session. Before a session exists, the
// plain link is enough.
async function switchLanguage(link) {
  if (state.busy) return;
  setBusy(true);
  let res = null;
  try { res = await api.setLocale(state.session.sessionId, state.session.token, link.getAttribute("hreflang")); }
  catch { res = null; } finally { setBusy(false); }
  if (res && (res.status === 200 || [401, 404, 410].includes(res.status))) {
    window.location.assign(link.href);
    return;
  }
  showNotice(S.error_switch, [{ label: S.retry, onClick: () => { clearNotices(); switchLanguage(link); },
    primary: true }]);
}
document.getElementById("lang-switch")?.addEventListener("click", (e) => {
  if (!state.session) return;
  e.preventDefault();
  switchLanguage(e.currentTarget);
});
function closeWidget() {
  window.parent.postMessage({ type: "xinan:close" }, "*");
}
document.getElementById("close-widget")?.addEventListener("click", closeWidget);
document.addEventListener("keydown", (e) => {
  if (cfg.embed && e.key === "Escape" && !e.defaultPrevented) closeWidget();
});
setupHelp({ api, locale: cfg.locale, S, onClear: clearMyData });

const saved = store.load();
if (saved) restore(saved); else startNew();
