// The counsellor console: login, the live queue, one case at a time, live chat with the employee, notes, resolve.
import { api, ApiError, auth, changePassword, login, logout, openStream, whenUnauthorized } from "./api.js";
import { beep, flashTitle, unlockAudio } from "./alert.js";
import * as admin from "./admin.js";
import * as detail from "./detail.js";
import { $, el, show } from "./dom.js";
import { age, clock, load, locale, other, t } from "./i18n.js";

const state = { filter: "active", queue: [], selected: null, esc: null, lastSeq: 0, stream: null, seen: new Set(),
  bursts: new Map(), centres: [] };

function me() { return auth.get(); }

function toast(text, isError = false) {
  const box = $("#toast");
  box.textContent = text;
  box.classList.toggle("error", isError);
  show(box, true);
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => show(box, false), 4000);
}

function failed(err) {
  if (err instanceof ApiError && err.status === 403) toast(t("forbidden"), true);
  else if (err instanceof ApiError && err.status === 409 && state.esc && state.esc.status === "open") {
    toast(t("claim_conflict"), true);
  } else toast(t("error", { detail: err.message }), true);
}

// --- views ---------------------------------------------------------------------------------------------------

function showLogin(message) {
  if (state.stream) state.stream.close();
  state.stream = null;
  show($("#console-view"), false);
  show($("#admin-view"), false);
  admin.close();
  show($("#nav"), false);
  show($("#logout"), false);
  show($("#live"), false);
  $("#whoami").textContent = "";
  setTitle("title");
  show($("#login-view"), true);
  show($("#password-form"), false);
  show($("#login-form"), true);
  const error = $("#login-error");
  error.textContent = message || "";
  show(error, Boolean(message));
}

// The header and the page title name what the signed-in account works in (a centre admin or an org admin is no
// counsellor); before sign-in they are the neutral "title". The language switch keeps it (i18n.js apply).
function setTitle(key) {
  const h1 = $("header h1");
  h1.dataset.i18n = key;
  h1.textContent = t(key);
  document.title = t(key);
}

// The view's name follows the role and, for an admin, its scope (/auth/me: a centre, or none for the platform admin).
async function nameView() {
  let who;
  try { who = await api("GET", "/api/v1/auth/me"); } catch { setTitle("title"); return; }
  setTitle({ counsellor: "title_counsellor", org_admin: "title_org_admin" }[who.role]
    ?? (who.centre ? "title_centre_admin" : "title_platform_admin"));
}

// An org admin has no queue: the console is its org's units and staff accounts (admin.js), and nothing else.
async function showOrgAdmin() {
  await nameView();
  show($("#login-view"), false);
  show($("#nav"), false);
  show($("#logout"), true);
  $("#whoami").textContent = `${me().username}`;
  showView("admin");
  try { await admin.open(); } catch (err) { failed(err); }
}

async function showConsole() {
  if (me().role === "org_admin") return showOrgAdmin();
  await nameView();
  show($("#login-view"), false);
  showView("queue");
  show($("#nav"), me().role === "admin");
  show($("#logout"), true);
  $("#whoami").textContent = `${me().username}`;
  connect();
  await Promise.all([refreshQueue(), loadCentres()]);
}

// Every centre of the network: where a case may be transferred (an empty list when no network is set up).
async function loadCentres() {
  try { state.centres = (await api("GET", "/api/v1/centres/directory")).centres; } catch { state.centres = []; }
}

// Admins switch between the queue and the admin area (admin.js); the API refuses everyone else anyway.
function showView(name) {
  show($("#console-view"), name === "queue");
  show($("#admin-view"), name === "admin");
  $("#nav-queue").setAttribute("aria-pressed", String(name === "queue"));
  $("#nav-admin").setAttribute("aria-pressed", String(name === "admin"));
}

// --- queue ---------------------------------------------------------------------------------------------------

async function refreshQueue() {
  const params = state.filter === "mine" ? "?mine=true" : state.filter === "resolved" ? "?status=resolved" : "";
  try {
    const data = await api("GET", `/api/v1/escalations${params}`);
    state.queue = data.escalations;
    for (const e of state.queue) if (e.status === "open" && e.priority === "urgent") alertUrgent(e);
    renderQueue();
  } catch (err) { if (!(err instanceof ApiError && err.status === 401)) failed(err); }
}

// Long names are cut by CSS; the full text stays in the tooltip (title) and in the accessible name.
function cut(text, cls = "trunc") { return el("span", { class: cls, title: text }, text); }

function place(e) {
  return [e.org_name ?? e.org, e.unit_name ?? e.unit].filter(Boolean).join(" / ");
}

function renderQueue() {
  const body = $("#queue tbody");
  body.replaceChildren(...state.queue.map((e) => el("tr", {
    class: [`p-${e.priority}`, e.overdue ? "overdue" : "", e.id === state.selected ? "selected" : ""]
      .filter(Boolean).join(" "),
    dataset: { id: e.id },
  },
  el("td", { class: "prio" }, el("span", { class: `badge p-${e.priority}` }, t(`priority_${e.priority}`)),
    e.burst_size > 1 ? el("span", { class: "badge burst", title: t("alert_burst", { n: e.burst_size }) },
      t("burst_badge", { n: e.burst_size })) : null),
  el("td", { class: "reason" }, cut(e.reason_i18n?.[locale] ?? e.reason, "clamp")),
  el("td", { class: "score" }, e.scale ? `${e.scale_name || e.scale} ${e.score ?? ""}` : "–"),
  el("td", { class: "unit" }, place(e) ? cut(place(e)) : "–"),
  el("td", { class: "age" }, age(e.created_at)),
  el("td", { class: e.overdue ? "due overdue" : "due" }, el("span", { class: "when" }, clock(e.due_at)),
    e.overdue ? el("span", { class: "when" }, t("overdue")) : null),
  el("td", { class: "status" }, t(`status_${e.status}`),
    e.claimed_by ? el("div", { class: "muted small" }, cut(e.claimed_by)) : null),
  el("td", { class: "act" }, el("div", { class: "row-actions" },
    e.status === "open" ? el("button", { type: "button", class: "claim", onclick: () => claim(e.id) }, t("claim")) : null,
    el("button", { type: "button", class: "secondary view", onclick: () => select(e.id) }, t("open_detail")))))));
  show($("#queue-empty"), state.queue.length === 0);
}

function upsert(esc) {
  const i = state.queue.findIndex((e) => e.id === esc.id);
  const belongs = state.filter === "active" ? ["open", "claimed"].includes(esc.status) || (esc.status === "withdrawn" && !esc.resolved_at)
    : state.filter === "mine" ? esc.claimed_by === me().username : esc.status === "resolved";
  if (i >= 0 && !belongs) state.queue.splice(i, 1);
  else if (i >= 0) state.queue[i] = esc;
  else if (belongs) state.queue.push(esc);
  if (esc.burst_id) {  // the burst grew: every case of it shows the new count
    for (const e of state.queue) if (e.burst_id === esc.burst_id) e.burst_size = Math.max(e.burst_size, esc.burst_size);
  }
  const rank = { urgent: 0, high: 1, routine: 2 };
  state.queue.sort((a, b) => rank[a.priority] - rank[b.priority] || a.created_at.localeCompare(b.created_at));
  renderQueue();
}

// --- one case ------------------------------------------------------------------------------------------------

async function select(id, { quietIfGone = false } = {}) {
  state.selected = id;
  renderQueue();
  try {
    const esc = await api("GET", `/api/v1/escalations/${id}?locale=${encodeURIComponent(locale)}`);
    state.esc = esc;
    state.lastSeq = 0;
    show($("#no-selection"), false);
    show($("#detail-body"), true);
    $("#detail-body").dataset.id = id;
    detail.summary(esc);
    detail.results(esc.results);
    detail.answers(esc.answers);
    $("#chat").replaceChildren();
    detail.appendMessages(esc.transcript);
    state.lastSeq = esc.transcript.length ? esc.transcript[esc.transcript.length - 1].seq : 0;
    detail.notes(esc.notes || []);
    detail.timeline(esc);
    detail.centreChoices(state.centres, esc);
    detail.controls(esc, me());
    show($("#refer-form"), !$("#refer-form").hidden && state.centres.length > 1);
    reveal();
  } catch (err) {
    show($("#detail-body"), false);
    show($("#no-selection"), true);
    if (err instanceof ApiError && err.status === 404) {  // moved out of this account's scope
      state.queue = state.queue.filter((e) => e.id !== id);
      renderQueue();
      if (quietIfGone) return;
    }
    failed(err);
  }
}

// The case opens beside (or, on a narrow screen, below) the queue: focus its heading so it is in view and a
// screen reader announces it; the side panel is sticky, so on a wide screen nothing jumps.
function reveal() {
  $("#detail").scrollTop = 0;
  const heading = $("#detail-heading");
  heading.focus({ preventScroll: true });
  heading.scrollIntoView({ block: "nearest" });
}

// A closing note is written by the resolve call, which answers with the escalation only: fetch the notes again.
async function reloadNotes() {
  const esc = await api("GET", `/api/v1/escalations/${state.esc.id}?locale=${encodeURIComponent(locale)}`);
  detail.notes(esc.notes || []);
}

async function refreshCase(esc) {
  const moved = state.esc.centre !== esc.centre;
  state.esc = { ...state.esc, ...esc };
  detail.summary(state.esc);
  detail.timeline(state.esc);
  detail.controls(state.esc, me());
  show($("#refer-form"), !$("#refer-form").hidden && state.centres.length > 1);
  if (moved) await select(esc.id, { quietIfGone: true });  // referred or transferred: fetch the new timeline
}

async function pullChat() {
  if (!state.esc || state.esc.status === "withdrawn") return;
  try {
    const data = await api("GET", `/api/v1/escalations/${state.esc.id}/messages?after_seq=${state.lastSeq}`);
    detail.appendMessages(data.messages);
    if (data.messages.length) state.lastSeq = data.messages[data.messages.length - 1].seq;
  } catch (err) { if (!(err instanceof ApiError)) failed(err); }
}

async function claim(id) {
  try {
    const esc = await api("POST", `/api/v1/escalations/${id}/claim`);
    upsert(esc);
    toast(t("claimed_ok"));
    await select(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) toast(t("claim_conflict"), true);
    else failed(err);
    await refreshQueue();
  }
}

async function act(path, body) {
  const esc = await api("POST", `/api/v1/escalations/${state.esc.id}/${path}`, body);
  upsert(esc);
  await refreshCase(esc);
  await pullChat();
  return esc;
}

// --- live feed -----------------------------------------------------------------------------------------------

// Urgent cases of one burst (opened from one source within a minute) raise one alert with a count, not one each.
function alertUrgent(esc) {
  if (state.seen.has(esc.id)) return;
  state.seen.add(esc.id);
  const alert = $("#alert");
  if (esc.burst_id) {
    const ids = state.bursts.get(esc.burst_id) || new Set();
    ids.add(esc.id);
    state.bursts.set(esc.burst_id, ids);
    const n = Math.max(ids.size, esc.burst_size || 1);
    if (!alert.hidden && alert.dataset.burst === esc.burst_id) {
      $("#alert-text").textContent = t("alert_burst", { n });
      alert.dataset.count = String(n);
      return;
    }
  }
  const n = esc.burst_id ? Math.max(esc.burst_size || 1, state.bursts.get(esc.burst_id).size) : 1;
  $("#alert-text").textContent = n > 1 ? t("alert_burst", { n }) : t("alert_urgent");
  show(alert, true);
  alert.dataset.id = esc.id;
  alert.dataset.burst = esc.burst_id || "";
  alert.dataset.count = String(n);
  beep();
  flashTitle(t("alert_urgent"));
}

function connect() {
  if (state.stream) state.stream.close();
  state.stream = openStream({
    hello: () => { $("#live").textContent = t("live_on"); $("#live").className = "live on"; show($("#live"), true); refreshQueue(); },
    escalation: (esc) => {
      if (esc.status === "open" && esc.priority === "urgent") alertUrgent(esc);
      upsert(esc);
      if (state.esc && esc.id === state.esc.id) { refreshCase(esc); pullChat(); }
    },
    realert: (esc) => {  // still unclaimed at the root: alert again, however often it was seen
      state.seen.delete(esc.id);
      alertUrgent(esc);
      $("#alert-text").textContent = t("realert");
      upsert(esc);
    },
    message: (data) => { if (state.esc && data.escalation_id === state.esc.id) pullChat(); },
    logout: () => { auth.clear(); showLogin(t("session_ended")); },
    error: async () => {
      $("#live").textContent = t("live_off");
      $("#live").className = "live off";
      try { await api("GET", "/api/v1/auth/me"); } catch { /* 401 handled by whenUnauthorized */ }
    },
  });
}

// --- wiring --------------------------------------------------------------------------------------------------

function wire() {
  whenUnauthorized(() => { auth.clear(); showLogin(t("session_ended")); });
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  $("#lang").addEventListener("click", async () => {
    await load(other());
    const live = $("#live");
    if (live.classList.contains("on")) live.textContent = t("live_on");
    else if (live.classList.contains("off")) live.textContent = t("live_off");
    renderQueue();
    admin.rerender();
    if (state.esc) await select(state.esc.id);
  });
  $("#nav-queue").addEventListener("click", () => { showView("queue"); refreshQueue(); });
  $("#nav-admin").addEventListener("click", async () => {
    showView("admin");
    try { await admin.open(); } catch (err) { failed(err); }
  });
  admin.init(toast, failed);
  $("#logout").addEventListener("click", async () => { await logout(); showLogin(); });
  $("#alert-dismiss").addEventListener("click", () => {
    show($("#alert"), false);
    const id = $("#alert").dataset.id;
    if (id) select(id);
  });
  async function signIn(username, password) {
    const data = await login(username, password);
    if (!["counsellor", "admin", "org_admin"].includes(data.role)) {
      await logout();
      showLogin(t("login_role"));
      return;
    }
    $("#login-form").reset();
    await showConsole();
  }
  let oneTime = null;  // {username, password} while a one-time password waits to be replaced; never stored
  $("#login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    unlockAudio();
    const form = new FormData(ev.target);
    try {
      await signIn(form.get("username"), form.get("password"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) {  // a one-time password: choose one before signing in
        oneTime = { username: form.get("username"), password: form.get("password") };
        show($("#login-form"), false);
        show($("#password-form"), true);
        $("#password-form input[name=new_password]").focus();
        return;
      }
      showLogin(err instanceof ApiError && err.status === 429 ? t("login_throttled") : t("login_failed"));
    }
  });
  $("#password-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = new FormData(ev.target);
    const error = $("#password-error");
    const fail = (message) => { error.textContent = message; show(error, true); };
    if (form.get("new_password") !== form.get("again")) return fail(t("password_differs"));
    try {
      await changePassword(oneTime.username, oneTime.password, form.get("new_password"));
    } catch (err) {
      return fail(err instanceof ApiError && err.status === 422 ? t("password_weak") : t("login_failed"));
    }
    const { username } = oneTime;
    oneTime = null;
    ev.target.reset();
    show(error, false);
    show($("#password-form"), false);
    show($("#login-form"), true);
    try { await signIn(username, form.get("new_password")); } catch { showLogin(t("login_failed")); }
  });
  for (const btn of document.querySelectorAll(".filter")) {
    btn.addEventListener("click", () => {
      state.filter = btn.dataset.filter;
      for (const b of document.querySelectorAll(".filter")) {
        b.classList.toggle("active", b === btn);
        b.setAttribute("aria-pressed", String(b === btn));
      }
      refreshQueue();
    });
  }
  $("#btn-claim").addEventListener("click", () => claim(state.esc.id));
  $("#btn-release").addEventListener("click", () => act("release").catch(failed));
  $("#transfer-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    act("transfer", { username: new FormData(ev.target).get("username") }).then(() => ev.target.reset()).catch(failed);
  });
  $("#refer-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = new FormData(ev.target);
    const centre = form.get("centre");
    const reason = String(form.get("reason") || "").trim();
    if (!centre || !reason) return;
    const label = state.centres.find((c) => c.id === centre)?.name ?? centre;
    try {
      const esc = await api("POST", `/api/v1/escalations/${state.esc.id}/transfer`, { centre, reason });
      ev.target.reset();
      toast(t("referred_ok", { centre: label }));
      upsert(esc);
      await select(esc.id, { quietIfGone: true });  // outside this account's scope now: the panel closes
    } catch (err) { failed(err); }
  });
  $("#chat-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = new FormData(ev.target).get("text").trim();
    if (!text) return;
    try {
      const data = await api("POST", `/api/v1/escalations/${state.esc.id}/messages`, { text });
      ev.target.reset();
      detail.appendMessages(data.messages);
      state.lastSeq = Math.max(state.lastSeq, ...data.messages.map((m) => m.seq));
    } catch (err) { failed(err); }
  });
  $("#chat-form textarea").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); ev.target.form.requestSubmit(); }
  });
  $("#note-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const note = await api("POST", `/api/v1/escalations/${state.esc.id}/notes`, { text: new FormData(ev.target).get("text") });
      $("#notes").append(detail.addableNote(note));
      ev.target.reset();
    } catch (err) { failed(err); }
  });
  $("#resolve-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = new FormData(ev.target);
    try {
      await act("resolve", { outcome: form.get("outcome"), note: form.get("note") || null });
      ev.target.reset();
      if (form.get("note")) await reloadNotes();
      toast(t("resolved_ok"));
    } catch (err) { failed(err); }
  });
  // Fallbacks for a dropped feed: the queue's ages and the open chat stay fresh anyway.
  setInterval(() => { if (me() && me().role !== "org_admin") refreshQueue(); }, 30000);
  setInterval(() => { if (me() && state.esc && state.esc.status === "claimed") pullChat(); }, 5000);
}

async function main() {
  await load();
  wire();
  if (!me()) { showLogin(); return; }
  try {
    await api("GET", "/api/v1/auth/me");
    await showConsole();
  } catch { showLogin(); }
}

main();
