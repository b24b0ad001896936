// The Staff tab: accounts in the caller's scope; create, disable/enable, reset a password (the new one shown once),
// change the scope. The scope list offers centres to counsellors and admins, orgs to HR and org admins
// (app/network/scope.py); an org admin is offered those two roles only (the API refuses any other).
import { api } from "./api.js";
import * as admin from "./admin.js";
import { $, el, show } from "./dom.js";
import { t } from "./i18n.js";

const state = { staff: [], editing: null };
const ORG_ROLES = ["hr", "org_admin"];
let say = () => {};
let fail = () => {};

function scopeText(u) {
  if (u.centre) return t("scope_centre", { name: admin.centreName(u.centre) });
  if (u.org) return t("scope_org", { name: admin.orgName(u.org) });
  return u.role === "admin" ? t("scope_platform") : t("scope_none");
}

// Values "c:<id>" (a centre) or "o:<id>" (an org); "" (no scope) only the platform admin may give.
function scopeOptions(select, role, value) {
  const items = [];
  if (ORG_ROLES.includes(role)) {
    items.push(...admin.orgs().map((o) => el("option", { value: `o:${o.id}` }, `${o.name} (${o.id})`)));
  } else {
    items.push(...admin.centres().map((c) => el("option", { value: `c:${c.id}` },
      `${"\u00a0\u00a0".repeat(c.depth)}${c.name} (${c.id})`)));
  }
  // last, never the default: an account without scope is a platform admin, or a counsellor or HR who sees nothing
  if (admin.isPlatform()) items.push(el("option", { value: "" }, role === "admin" ? t("scope_platform") : t("scope_none")));
  select.replaceChildren(...items);
  if (value !== undefined && [...select.options].some((o) => o.value === value)) select.value = value;
}

function scopeBody(value) {
  if (value.startsWith("c:")) return { centre: value.slice(2), org: null };
  if (value.startsWith("o:")) return { centre: null, org: value.slice(2) };
  return { centre: null, org: null };
}

function currentScope(u) { return u.centre ? `c:${u.centre}` : u.org ? `o:${u.org}` : ""; }

export async function load() {
  state.staff = (await api("GET", "/api/v1/staff")).staff;
  render();
}

function button(label, name, cls, onclick) {
  return el("button", { type: "button", class: cls, "aria-label": t("action_for", { action: label, name }), onclick }, label);
}

export function render() {
  const self = admin.me()?.username;
  $("#staff-table tbody").replaceChildren(...state.staff.map((u) => el("tr", {
    class: u.disabled ? "disabled" : null, dataset: { id: String(u.id), username: u.username } },
  el("td", {}, u.username, u.username === self ? el("span", { class: "muted small" }, ` ${t("you")}`) : null,
    // a one-time password is still pending: the admin knows the person has not signed in with their own yet
    u.must_change_password ? el("span", { class: "badge must-set" }, t("must_set_password")) : null),
  el("td", { class: "nowrap" }, t(`role_${u.role}`)),
  el("td", {}, scopeText(u)),
  el("td", { class: "nowrap" }, el("span", { class: u.disabled ? "pill off" : "pill on" }, t(u.disabled ? "status_disabled" : "status_active"))),
  el("td", {}, u.username === self ? null : el("div", { class: "row-actions" },
    u.disabled ? button(t("enable"), u.username, "secondary enable", () => setEnabled(u, true))
      : button(t("disable"), u.username, "secondary disable", () => setEnabled(u, false)),
    button(t("reset_password"), u.username, "secondary reset", () => resetPassword(u)),
    button(t("change_scope"), u.username, "secondary scope", () => editScope(u)))))));
  const role = $("#staff-form select[name=role]");
  for (const option of role.options) {
    option.hidden = option.disabled = admin.isOrgAdmin() && !ORG_ROLES.includes(option.value);
  }
  if (role.selectedOptions[0]?.disabled) role.value = ORG_ROLES[0];
  const scope = $("#staff-form select[name=scope]");
  scopeOptions(scope, role.value, scope.value || undefined);  // "" (no scope) is never kept as a default
  if (state.editing) editScope(state.staff.find((u) => u.id === state.editing.id) || state.editing, false);
}

function replace(user) {
  state.staff = state.staff.map((u) => (u.id === user.id ? user : u));
  render();
}

async function setEnabled(user, enabled) {
  try {
    replace(await api("POST", `/api/v1/staff/${user.id}/${enabled ? "enable" : "disable"}`));
    say(t(enabled ? "enabled_ok" : "disabled_ok", { name: user.username }));
  } catch (err) { fail(err); }
}

function reveal(text, password) {
  $("#secret-text").textContent = text;
  $("#secret-value").textContent = password;
  show($("#secret"), true);
  $("#secret-done").focus();
}

async function resetPassword(user) {
  try {
    const r = await api("POST", `/api/v1/staff/${user.id}/password`, {});
    replace(r.user);
    reveal(t("secret_reset", { name: user.username }), r.password);
  } catch (err) { fail(err); }
}

function editScope(user, focus = true) {
  state.editing = user;
  const form = $("#scope-form");
  $("#scope-form-heading").textContent = t("change_scope_of", { name: user.username });
  scopeOptions(form.elements.scope, user.role, currentScope(user));
  show(form, true);
  if (focus) form.elements.scope.focus();
}

function closeScope() {
  const id = state.editing?.id;
  state.editing = null;
  show($("#scope-form"), false);
  const back = id && document.querySelector(`#staff-table tr[data-id="${id}"] button.scope`);
  if (back) back.focus();
}

// The one-time password leaves the page when it is acknowledged, the tab changes or the admin signs out.
export function forget() {
  $("#secret-value").textContent = "";
  show($("#secret"), false);
}

export function init(toast, failed) {
  say = toast;
  fail = failed;
  $("#staff-form select[name=role]").addEventListener("change", (ev) => {
    scopeOptions($("#staff-form select[name=scope]"), ev.target.value);
  });
  $("#staff-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const body = { username: form.elements.username.value.trim(), role: form.elements.role.value,
      ...scopeBody(form.elements.scope.value) };
    if (form.elements.password.value) body.password = form.elements.password.value;
    try {
      const r = await api("POST", "/api/v1/staff", body);
      form.reset();
      await load();
      if (r.password) reveal(t("secret_created", { name: r.user.username }), r.password);
      else say(t("staff_added", { name: r.user.username }));
    } catch (err) { fail(err); }
  });
  $("#scope-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const user = state.editing;
    try {
      replace(await api("PUT", `/api/v1/staff/${user.id}/scope`, scopeBody(ev.target.elements.scope.value)));
      say(t("scope_saved", { name: user.username }));
      closeScope();
      await load();  // it may have left the caller's scope
    } catch (err) { fail(err); }
  });
  $("#scope-cancel").addEventListener("click", closeScope);
  $("#secret-done").addEventListener("click", forget);
}
