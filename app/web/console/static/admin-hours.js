// The selected centre's claim windows and service hours (GET/PUT /api/v1/centres/{id}/policy). The API decides who
// may change them and what is valid; its 422 messages are shown under the field they name.
import { api, ApiError } from "./api.js";
import { $, el, show } from "./dom.js";
import { t } from "./i18n.js";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const WINDOWS = ["urgent_minutes", "high_minutes", "routine_days"];
const HOURS = ["always_open", "timezone", "days", "opens_at", "closes_at"];
const state = { centre: null, policy: null, errors: {}, formError: null, editable: false };
let say = () => {};
let fail = () => {};

export function selected() { return state.centre?.id ?? null; }

// Pydantic's error types in the reader's language; anything else keeps the API's own words.
function message(err) {
  const ctx = err.ctx || {};
  const known = {
    less_than_equal: () => t("err_max", { n: ctx.le }), greater_than_equal: () => t("err_min", { n: ctx.ge }),
    int_parsing: () => t("err_whole"), int_from_float: () => t("err_whole"), missing: () => t("err_required"),
    string_pattern_mismatch: () => t("err_pattern"), too_short: () => t("err_required"),
  }[err.type];
  if (known) return known();
  const msg = String(err.msg || "").replace(/^Value error, /, "");
  if (/closes_at must be after opens_at/.test(msg)) return t("err_closes_after");
  if (/unknown time zone/.test(msg)) return t("err_timezone");
  if (/listed twice/.test(msg)) return t("err_day_twice");
  return msg;
}

// Where a 422 item belongs: the last element of its loc that is a field, or the field its message names.
function fieldOf(err) {
  const loc = (err.loc || []).map(String);
  const named = [...loc].reverse().find((p) => WINDOWS.includes(p) || HOURS.includes(p));
  if (named) return named;
  const msg = String(err.msg || "");
  if (/closes_at must be after/.test(msg)) return "closes_at";  // names both times: the closing one is wrong
  if (/listed twice/.test(msg)) return "days";
  return null;
}

function control(name) {
  return name === "days" ? $("#hours-form fieldset.days") : $(`#hours-form [name=${name}]`);
}

function errorBox(name) {
  let box = $(`#hours-err-${name}`);
  if (!box) {
    box = el("p", { id: `hours-err-${name}`, class: "field-error", hidden: true });
    const field = control(name);
    // a time's message goes under the pair of times, not between them
    (name === "days" ? field : field.closest(".times") || field.closest("label")).after(box);
  }
  return box;
}

function renderErrors() {
  for (const name of [...WINDOWS, ...HOURS]) {
    const item = state.errors[name];  // a 422 item, put in words now: the language may have changed since
    const box = errorBox(name);
    box.textContent = item ? message(item) : "";
    show(box, Boolean(item));
    const field = control(name);
    if (item) field.setAttribute("aria-invalid", "true"); else field.removeAttribute("aria-invalid");
    if (name !== "days") field.setAttribute("aria-describedby", box.id);
  }
  const formError = $("#hours-form-error");
  formError.textContent = state.formError ? message(state.formError) : "";
  show(formError, Boolean(state.formError));
}

// The day boxes are made here so their names follow the language; `ticked` defaults to what is ticked now.
function renderDays(ticked) {
  const box = $("#hours-form fieldset.days");
  const on = new Set(ticked ?? [...box.querySelectorAll("input:checked")].map((i) => i.value));
  box.querySelectorAll("label").forEach((l) => l.remove());
  for (const day of DAYS) {
    box.append(el("label", { class: "check day" },
      el("input", { type: "checkbox", name: "days", value: day, checked: on.has(day) }), el("span", {}, t(`day_${day}`))));
  }
  box.setAttribute("aria-describedby", errorBox("days").id);
}

function fill() {
  const { claim_windows: w, service_hours: h } = state.policy;
  const form = $("#hours-form");
  for (const name of WINDOWS) form.elements[name].value = String(w[name]);
  form.elements.always_open.checked = h.always_open;
  form.elements.timezone.value = h.timezone;
  form.elements.opens_at.value = h.opens_at;
  form.elements.closes_at.value = h.closes_at;
  renderDays(h.days);
}

export function render() {
  const slot = $("#centre-hours-slot");
  show(slot, Boolean(state.centre && state.policy));
  if (!state.centre || !state.policy) return;
  $("#hours-heading").textContent = t("hours_heading", { name: state.centre.name });
  const open = $("#hours-open-now");
  open.textContent = state.policy.open_now ? t("hours_open_now") : t("hours_closed_now");
  open.className = `small pill ${state.policy.open_now ? "on" : "off"}`;
  renderDays();
  $("#hours-fields").disabled = !state.editable;
  show($("#hours-save"), state.editable);
  show($("#hours-readonly"), !state.editable);
  renderErrors();
}

/** Show the editor for `centre` ({id, name}); `editable` is whether the caller's role may change it. */
export async function open(centre, editable, focus = false) {
  try {
    const policy = await api("GET", `/api/v1/centres/${encodeURIComponent(centre.id)}/policy`);
    Object.assign(state, { centre, policy, editable, errors: {}, formError: null });
    fill();
    render();
    if (focus) $("#hours-heading").focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) forget(); else fail(err);
  }
}

export function forget() {
  Object.assign(state, { centre: null, policy: null, errors: {}, formError: null });
  show($("#centre-hours-slot"), false);
}

function body(form) {
  const number = (name) => {
    const raw = form.elements[name].value.trim();
    return raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;  // the API says what is wrong with it
  };
  return {
    claim_windows: Object.fromEntries(WINDOWS.map((n) => [n, number(n)])),
    service_hours: {
      always_open: form.elements.always_open.checked, timezone: form.elements.timezone.value.trim(),
      days: [...form.querySelectorAll("input[name=days]:checked")].map((i) => i.value),
      opens_at: form.elements.opens_at.value, closes_at: form.elements.closes_at.value,
    },
  };
}

async function save(ev) {
  ev.preventDefault();
  if (!state.centre || !state.editable) return;
  state.errors = {};
  state.formError = null;
  try {
    state.policy = await api("PUT", `/api/v1/centres/${encodeURIComponent(state.centre.id)}/policy`, body(ev.target));
    fill();
    render();
    say(t("hours_saved", { name: state.centre.name }));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 422 && Array.isArray(err.detail))) {
      renderErrors();
      fail(err);
      return;
    }
    for (const item of err.detail) {
      const name = fieldOf(item);
      if (name) state.errors[name] = state.errors[name] || item;  // translated when shown: the language may change
      else state.formError = item;
    }
    renderErrors();
    const first = [...WINDOWS, ...HOURS].find((n) => state.errors[n]);
    (first ? (first === "days" ? $("#hours-form input[name=days]") : control(first)) : $("#hours-form-error")).focus?.();
  }
}

export function init(toast, failed) {
  say = toast;
  fail = failed;
  $("#hours-form").addEventListener("submit", save);
}
