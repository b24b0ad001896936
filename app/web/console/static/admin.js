// The admin area (admins and org admins): tabs for the centres, orgs and units in the caller's scope; staff in
// admin-staff.js. Every list comes from the API, which applies the scope itself: a centre admin sees its subtree
// only, an org admin its own org's units and staff (no centres or orgs tab).
import { api } from "./api.js";
import { $, el, show } from "./dom.js";
import { apply, t } from "./i18n.js";
import * as staff from "./admin-staff.js";
import * as hours from "./admin-hours.js";

const TABS = ["centres", "orgs", "units", "staff"];
const state = { me: null, centres: [], orgs: [], units: [], unitOrg: null, tab: "centres" };
let say = () => {};
let fail = () => {};

export function isPlatform() { return state.me && state.me.role === "admin" && !state.me.centre && !state.me.org; }
export function isOrgAdmin() { return state.me?.role === "org_admin"; }
function tabs() { return isOrgAdmin() ? ["units", "staff"] : TABS; }
export function me() { return state.me; }
export function centres() { return treeOrder(); }
export function orgs() { return state.orgs; }
export function centreName(id) { return state.centres.find((c) => c.id === id)?.name ?? id; }
export function orgName(id) { return state.orgs.find((o) => o.id === id)?.name ?? id; }

// --- tabs ----------------------------------------------------------------------------------------------------

function select(tab, focus = false) {
  if (tab !== state.tab) staff.forget();
  state.tab = tab;
  for (const name of TABS) {
    const btn = $(`#tab-${name}`);
    const on = name === tab;
    show(btn, tabs().includes(name));
    btn.setAttribute("aria-selected", String(on));
    btn.tabIndex = on ? 0 : -1;
    show($(`#panel-${name}`), on);
    if (on && focus) btn.focus();
  }
}

// Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation); Tab moves into the panel.
function onTabKey(ev) {
  const list = tabs();
  const i = list.indexOf(state.tab);
  const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: list.length - 1 }[ev.key];
  if (next === undefined) return;
  ev.preventDefault();
  select(list[(next + list.length) % list.length], true);
}

// --- centres -------------------------------------------------------------------------------------------------

function children() {
  const ids = new Set(state.centres.map((c) => c.id));
  const kids = new Map();
  for (const c of state.centres) {
    const parent = c.parent && ids.has(c.parent) ? c.parent : null;  // a centre admin's own centre is its root
    if (!kids.has(parent)) kids.set(parent, []);
    kids.get(parent).push(c);
  }
  for (const list of kids.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return kids;
}

function treeOrder() {
  const kids = children();
  const out = [];
  const walk = (parent, depth) => {
    for (const c of kids.get(parent) || []) { out.push({ ...c, depth }); walk(c.id, depth + 1); }
  };
  walk(null, 0);
  return out;
}

// Each centre's name is a button: it opens that centre's claim windows and service hours below the tree.
function branch(kids, parent) {
  return (kids.get(parent) || []).map((c) => el("li", {},
    el("span", { class: "node" },
      el("button", { type: "button", class: "node-name", "aria-pressed": String(hours.selected() === c.id),
        dataset: { id: c.id }, onclick: () => pick(c) }, c.name),
      " ", el("code", { class: "muted" }, c.id)),
    kids.has(c.id) ? el("ul", {}, branch(kids, c.id)) : null));
}

async function pick(centre) {
  await hours.open(centre, state.me?.role === "admin", true);
  for (const b of document.querySelectorAll("#centre-tree button.node-name")) {
    b.setAttribute("aria-pressed", String(b.dataset.id === hours.selected()));
  }
}

export function centreOptions(select, { top = false, value } = {}) {
  const options = treeOrder().map((c) => el("option", { value: c.id }, `${"\u00a0\u00a0".repeat(c.depth)}${c.name} (${c.id})`));
  if (top) options.unshift(el("option", { value: "" }, t("centre_top")));
  select.replaceChildren(...options);
  if (value !== undefined) select.value = value;
}

function renderCentres() {
  const kids = children();
  $("#centre-tree").replaceChildren(...branch(kids, null));
  show($("#centres-empty"), state.centres.length === 0);
  const parent = $("#centre-form select[name=parent]");
  const keep = parent.value;
  centreOptions(parent, { top: isPlatform() });
  if ([...parent.options].some((o) => o.value === keep)) parent.value = keep;
  parent.required = !isPlatform();
  if (hours.selected() && !state.centres.some((c) => c.id === hours.selected())) hours.forget();
  hours.render();
}

// --- orgs ----------------------------------------------------------------------------------------------------

// A row of the orgs' or the units' table: the name, the id as code, and the list's own last cell.
function nameIdRow(item, last, lastClass) {
  return el("tr", { dataset: { id: item.id } }, el("td", {}, item.name), el("td", {}, el("code", {}, item.id)),
    el("td", { class: lastClass }, last));
}

function renderOrgs() {
  $("#org-table tbody").replaceChildren(...state.orgs.map((o) => nameIdRow(o,
    o.centre ? centreName(o.centre) : el("span", { class: "muted" }, t("no_centre")))));
  show($("#orgs-empty"), state.orgs.length === 0);
  const centre = $("#org-form select[name=centre]");
  const keep = centre.value;
  centreOptions(centre);
  if ([...centre.options].some((o) => o.value === keep)) centre.value = keep;
}

// --- units ---------------------------------------------------------------------------------------------------

function renderUnitOrgs() {
  const pick = $("#unit-org");
  if (!state.orgs.some((o) => o.id === state.unitOrg)) state.unitOrg = state.orgs[0]?.id ?? null;
  pick.replaceChildren(...state.orgs.map((o) => el("option", { value: o.id }, `${o.name} (${o.id})`)));
  if (state.unitOrg) pick.value = state.unitOrg;
  pick.disabled = state.orgs.length === 0;
  for (const field of $("#unit-form").elements) field.disabled = state.orgs.length === 0;
}

async function loadUnits() {
  state.units = state.unitOrg ? (await api("GET", `/api/v1/orgs/${encodeURIComponent(state.unitOrg)}/units`)).units : [];
  renderUnits();
}

function renderUnits() {
  $("#unit-table tbody").replaceChildren(...state.units.map((u) => {
    const input = el("input", { type: "number", min: "0", max: "10000000", step: "1", inputmode: "numeric",
      class: "headcount", value: u.headcount ?? "", "aria-label": t("headcount_of", { name: u.name }) });
    const form = el("form", { class: "row-form", onsubmit: (ev) => { ev.preventDefault(); saveHeadcount(u, input); } },
      input, el("button", { type: "submit", class: "secondary", "aria-label": t("action_for", { action: t("save"), name: u.name }) },
        t("save")));
    return nameIdRow(u, form, "num");
  }));
  const none = $("#units-empty");
  none.textContent = state.unitOrg ? t("units_empty") : t("units_no_org");
  show(none, state.units.length === 0);
}

async function saveHeadcount(unit, input) {
  const value = input.value.trim();
  try {
    const saved = await api("PATCH", `/api/v1/orgs/${encodeURIComponent(unit.org)}/units/${encodeURIComponent(unit.id)}`,
      { headcount: value === "" ? null : Number(value) });
    Object.assign(unit, saved);
    say(t("headcount_saved", { name: unit.name }));
  } catch (err) { fail(err); }
}

// --- loading and forms ---------------------------------------------------------------------------------------

export async function reload() {
  const [c, o] = await Promise.all([isOrgAdmin() ? { centres: [] } : api("GET", "/api/v1/centres"),
    api("GET", "/api/v1/orgs")]);
  state.centres = c.centres;
  state.orgs = o.orgs;
  renderCentres();
  renderOrgs();
  renderUnitOrgs();
  await loadUnits();
  staff.render();
}

export async function open() {
  state.me = await api("GET", "/api/v1/auth/me");
  select(tabs().includes(state.tab) ? state.tab : tabs()[0]);  // an org admin has no centres or orgs tab
  await reload();
  await staff.load();
  $("#admin-heading").focus({ preventScroll: true });
}

export function close() {
  staff.forget();
  hours.forget();
  state.me = null;
}

export function rerender() {
  if (!state.me) return;
  renderCentres();
  renderOrgs();
  renderUnitOrgs();
  renderUnits();
  staff.render();
}

function formJson(form) {
  const out = {};
  for (const [k, v] of new FormData(form)) if (String(v).trim() !== "") out[k] = String(v).trim();
  return out;
}

async function submit(form, path, body, done) {
  try {
    const made = await api("POST", path, body);
    form.reset();
    await reload();
    done(made);
  } catch (err) { fail(err); }
}

// One copy of the name / id table per panel that asks for one (index.html's #name-id-table): its ids and strings
// follow the list's name, so the orgs' and the units' panels share one markup.
function nameIdTables() {
  for (const spot of document.querySelectorAll("template[data-list]")) {
    const { list, column } = spot.dataset;
    const part = $("#name-id-table").content.cloneNode(true);
    const heading = part.querySelector("h3");
    heading.id = `${list}s-heading`;
    heading.dataset.i18n = `${list}s_heading`;
    const table = part.querySelector("table");
    table.id = `${list}-table`;
    table.setAttribute("aria-labelledby", heading.id);
    part.querySelector("th[data-column]").dataset.i18n = column;
    const empty = part.querySelector("p");
    empty.id = `${list}s-empty`;
    empty.dataset.i18n = `${list}s_empty`;
    apply(part);
    spot.replaceWith(part);
  }
}

// One copy of the id and name fields per form that asks for them (index.html's #id-name-fields).
function idNameFields() {
  for (const spot of document.querySelectorAll("template[data-fields=id-name]")) {
    const fields = $("#id-name-fields").content.cloneNode(true);
    const hint = `${spot.closest("form").id}-id-hint`;
    fields.querySelector("p.hint").id = hint;
    fields.querySelector("input[name=id]").setAttribute("aria-describedby", hint);
    apply(fields);
    spot.replaceWith(fields);
  }
}

export function init(toast, failed) {
  say = toast;
  fail = failed;
  nameIdTables();
  idNameFields();
  staff.init(toast, failed);
  hours.init(toast, failed);
  for (const name of TABS) $(`#tab-${name}`).addEventListener("click", () => select(name));
  $(".tabs").addEventListener("keydown", onTabKey);
  $("#centre-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const body = formJson(ev.target);
    body.parent = body.parent || null;
    submit(ev.target, "/api/v1/centres", body, (c) => say(t("centre_added", { name: c.name })));
  });
  $("#org-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    submit(ev.target, "/api/v1/orgs", formJson(ev.target), (o) => say(t("org_added", { name: o.name })));
  });
  $("#unit-org").addEventListener("change", (ev) => { state.unitOrg = ev.target.value; loadUnits().catch(fail); });
  $("#unit-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const body = formJson(ev.target);
    if (body.headcount !== undefined) body.headcount = Number(body.headcount);
    submit(ev.target, `/api/v1/orgs/${encodeURIComponent(state.unitOrg)}/units`, body,
      (u) => say(t("unit_added", { name: u.name })));
  });
}
