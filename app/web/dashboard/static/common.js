// What every part of the HR dashboard shares: locale strings, the signed-in API call, element helpers, "37 ±5",
// copying a link.
export const API = "/api/v1";
export const TOKEN_KEY = "xinan-hr-token";
const LOCALE_KEY = "xinan-hr-locale";
export const $ = (id) => document.getElementById(id);
let strings = {};
export let locale = "zh-CN";
let onUnauthorized = () => {};

export function t(key, vars = {}) {
  return (strings[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

// `title`: the key of the page's <title> (the dashboard's own, or the shared page's).
export async function loadStrings(loc, title = "title") {
  const res = await fetch(`/hr/i18n/${loc}.json`);
  strings = await res.json();
  locale = loc;
  localStorage.setItem(LOCALE_KEY, loc);
  document.documentElement.lang = loc;
  document.title = t(title);
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
}

export function pickLocale() {
  const asked = new URLSearchParams(location.search).get("lang") || localStorage.getItem(LOCALE_KEY);
  if (asked) return asked.toLowerCase().startsWith("en") ? "en" : "zh-CN";
  return (navigator.language || "zh-CN").toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function whenUnauthorized(fn) { onUnauthorized = fn; }

export const authHeader = () => ({ Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` });

// A refused request throws an Error whose `detail` is the API's own (a string, or a 422's list of field errors).
export async function api(path, { method = "GET", json } = {}) {
  const headers = authHeader();
  if (json !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(API + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  if (res.status === 401) { onUnauthorized(); throw new Error(t("login_failed")); }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    const err = new Error(typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail ?? res.status));
    Object.assign(err, { status: res.status, detail: body.detail });
    throw err;
  }
  return res;
}

// el("td", {className: "x"}, "text", child): a new element with properties and children
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c != null));
  return node;
}

// "37 ±5": every figure carries random noise (differential privacy); ± is the 95 % half-width of that noise
export const pm = (value, margin) => (margin ? `${value} ±${margin}` : String(value));

// Copies a link and says so in `status` (or shows it to copy by hand where the browser refuses the clipboard).
export async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = t("copied");
  } catch {
    status.textContent = t("copy_by_hand", { text });
  }
}
