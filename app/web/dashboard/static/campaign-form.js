// Creating a campaign: scales and units by checkbox, dates, an optional widget message. The API validates; its 422
// (a field list from the schema, or one sentence from the service) is shown in words of the page's language.
import { $, api, el, locale, t } from "./common.js";

let org = null;
let done = async () => {};
let maxMessage = 280;

export function initForm() {
  $("campaign-form").onsubmit = submit;
  $("campaign-cancel").onclick = closeForm;
  $("campaign-message").oninput = countMessage;
}

export async function openForm(orgId, afterCreate) {
  org = orgId;
  done = afterCreate;
  $("campaign-errors").replaceChildren();
  let options;
  let scales;
  try {
    options = await (await api(`/orgs/${encodeURIComponent(org)}/campaigns/options`)).json();
    scales = await (await api(`/scales?locale=${locale}`)).json();  // names in the page's language
  } catch (err) {
    $("campaigns-error").textContent = t("error", { detail: err.message });
    return;
  }
  maxMessage = options.max_message;
  const loaded = scales.filter((s) => options.scales.includes(s.id));
  $("campaign-scales").replaceChildren(...loaded.map((s) => check("scales", s.id, `${s.short_name} · ${s.name}`)));
  $("campaign-units").replaceChildren(...options.units.map((u) => check("units", u.id,
    u.headcount == null ? u.name : t("unit_with_headcount", { name: u.name, n: u.headcount }))));
  if (!options.units.length) $("campaign-units").append(el("p", { className: "note", textContent: t("no_units") }));
  $("opens-on").value = options.today;
  $("closes-on").value = addDays(options.today, 30);
  countMessage();
  $("campaign-detail").hidden = true;
  $("campaign-form").hidden = false;
  $("campaign-name").focus();
}

export function closeForm() {
  $("campaign-form").hidden = true;
  $("campaign-form").reset();
  $("campaign-errors").replaceChildren();
}

function check(name, value, label) {
  return el("label", { className: "check" }, el("input", { type: "checkbox", name, value }), el("span", { textContent: label }));
}

function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function countMessage() {
  const used = $("campaign-message").value.length;
  $("campaign-message-note").textContent = t("message_count", { used, max: maxMessage });
}

function body() {
  const form = $("campaign-form");
  const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
  return {
    name: $("campaign-name").value.trim(), scales: checked("scales"), units: checked("units"),
    // an empty date is sent as null, so the API names the field rather than a parse error of ""
    opens_on: $("opens-on").value || null, closes_on: $("closes-on").value || null,
    message: $("campaign-message").value.trim() || null,
  };
}

async function submit(event) {
  event.preventDefault();
  $("campaign-errors").replaceChildren();
  let made;
  try {
    made = await (await api(`/orgs/${encodeURIComponent(org)}/campaigns`, { method: "POST", json: body() })).json();
  } catch (err) {
    const lines = err.status === 422 ? explain(err.detail) : [t("error", { detail: err.message })];
    $("campaign-errors").replaceChildren(...lines.map((line) => el("li", { textContent: line })));
    return;
  }
  closeForm();
  const params = new URLSearchParams(location.search);
  params.set("campaign", made.id);
  history.replaceState(null, "", `${location.pathname}?${params}`);
  await done();
}

const FIELDS = { name: "campaign_name", scales: "campaign_scales", units: "campaign_units", opens_on: "opens_on",
  closes_on: "closes_on", message: "campaign_message" };

// The API's 422 in words: schema errors per field, and the service's sentences matched to their translations.
function explain(detail) {
  if (Array.isArray(detail)) return detail.map(fieldError);
  const text = String(detail ?? "");
  const rules = [
    [/closes_on \((.+?)\) is before opens_on \((.+?)\)/, (m) => t("err_order", { closes: m[1], opens: m[2] })],
    [/closes_on \((.+?)\) is in the past/, (m) => t("err_past", { closes: m[1] })],
    [/at most (\d+) days/, (m) => t("err_days", { n: m[1] })],
    [/unknown scale '(.+?)'/, (m) => t("err_scale", { id: m[1] })],
    [/unit '(.+?)' is not a registered unit/, (m) => t("err_unit", { id: m[1] })],
  ];
  for (const [pattern, say] of rules) {
    const m = pattern.exec(text);
    if (m) return [say(m)];
  }
  return [t("error", { detail: text })];
}

function fieldError(e) {
  const field = (e.loc || []).slice(1).find((part) => typeof part === "string") ?? "";
  const name = FIELDS[field] ? t(FIELDS[field]) : field;
  const kind = e.type || "";
  if (kind === "missing" || (field === "name" && kind === "string_too_short")) return t("err_required", { field: name });
  if (kind === "too_short") return t("err_choose", { field: name });
  if (kind === "too_long" || kind === "string_too_long") {
    return t("err_long", { field: name, max: e.ctx?.max_length ?? maxMessage });
  }
  if (kind.startsWith("date") || kind === "none_required") return t("err_date", { field: name });
  if (kind === "extra_forbidden") return t("error", { detail: e.msg });
  return t("err_field", { field: name, detail: e.msg });
}
