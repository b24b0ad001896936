// All visible strings come from i18n/<locale>.json (one file per locale); zh-CN first.
const LOCALES = ["zh-CN", "en"];
const STORE = "xinan.console.lang";
let strings = {};
export let locale = "zh-CN";

function pick() {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (LOCALES.includes(fromUrl)) return fromUrl;
  const stored = localStorage.getItem(STORE);
  return LOCALES.includes(stored) ? stored : "zh-CN";
}

export async function load(wanted) {
  locale = LOCALES.includes(wanted) ? wanted : pick();
  const r = await fetch(`/console/static/i18n/${locale}.json`);
  strings = await r.json();
  localStorage.setItem(STORE, locale);
  document.documentElement.lang = locale;
  apply(document);
}

export function other() { return locale === "zh-CN" ? "en" : "zh-CN"; }

export function t(key, params = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ""));
}

export function apply(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  document.title = t(document.querySelector("header h1")?.dataset.i18n ?? "title");  // the view's name (console.js)
}

export function age(fromIso, now = Date.now()) {
  const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60000));
  if (minutes < 1) return t("just_now");
  if (minutes < 60) return t("age_minutes", { n: minutes });
  if (minutes < 48 * 60) return t("age_hours", { n: Math.floor(minutes / 60) });
  return t("age_days", { n: Math.floor(minutes / 1440) });
}

export function clock(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(locale, { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
}
