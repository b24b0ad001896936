// The read-only page a share link opens: the token is the last part of the address; the figures are the campaign's
// released participation (GET /api/v1/campaigns/shared/{token}/participation, no sign-in), drawn as HR sees them.
import { $, API, loadStrings, pickLocale, t } from "./common.js";
import { drawParticipation } from "./participation.js";

const token = decodeURIComponent(location.pathname.split("/").pop() || "");
let data = null;

function draw() {
  if (!data) return;
  $("detail-name").textContent = data.name;
  $("detail-dates").textContent = t("date_range", { from: data.opens_on, to: data.closes_on });
  drawParticipation(data);
}

async function load() {
  let res;
  try {
    res = await fetch(`${API}/campaigns/shared/${encodeURIComponent(token)}/participation`);
  } catch (err) {
    $("shared-error").textContent = t("error", { detail: err.message });
    return;
  }
  if (res.status === 404) { $("shared-gone").hidden = false; return; }  // revoked, expired or never made
  if (!res.ok) { $("shared-error").textContent = t("error", { detail: res.status }); return; }
  data = await res.json();
  $("shared-view").hidden = false;
  draw();
}

async function start() {
  await loadStrings(pickLocale(), "shared_title");
  $("lang").addEventListener("click", async () => { await loadStrings(t("lang_other"), "shared_title"); draw(); });
  $("shared-print").addEventListener("click", () => window.print());
  await load();
}

start();
