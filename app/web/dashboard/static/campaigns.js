// The campaigns tab: the org's campaigns, the create form (campaign-form.js) and one campaign's page
// (campaign-view.js). /hr?campaign=ID opens that campaign directly, so its page can be shared and printed.
import { $, api, el, t } from "./common.js";
import { openForm, closeForm, initForm } from "./campaign-form.js";
import { showCampaign } from "./campaign-view.js";

let me = null;  // {role, org, ...} from /auth/me
let scales = [];
let org = null;
let campaigns = [];

export function initCampaigns(account, scaleList) {
  me = account;
  scales = scaleList;
  org = me.org;
  $("campaign-new").onclick = () => openForm(org, listCampaigns);
  $("campaign-org").onchange = () => { org = $("campaign-org").value; selectCampaign(null); listCampaigns(); };
  initForm();
}

export const scaleName = (id) => scales.find((s) => s.id === id)?.short_name ?? id;

export function leaveCampaigns() {
  $("campaigns-view").hidden = true;
}

export async function enterCampaigns() {
  $("campaigns-view").hidden = false;
  if (me.role === "admin" && !me.org) await pickOrg();
  await listCampaigns();
}

// An admin serves several orgs: choose one (HR has its own org only).
async function pickOrg() {
  if ($("campaign-org").options.length) return;
  const orgs = (await (await api("/orgs")).json()).orgs;
  $("campaign-org").replaceChildren(...orgs.map((o) => new Option(`${o.name} (${o.id})`, o.id)));
  $("campaign-org-label").hidden = false;
  org = org ?? orgs[0]?.id ?? null;
}

async function listCampaigns() {
  $("campaigns-error").textContent = "";
  $("campaign-new").hidden = !org;
  if (!org) { $("campaigns-empty").hidden = false; $("campaigns-empty").textContent = t("no_org"); return; }
  try {
    campaigns = (await (await api(`/orgs/${encodeURIComponent(org)}/campaigns`)).json()).campaigns;
  } catch (err) {
    $("campaigns-error").textContent = t("error", { detail: err.message });
    return;
  }
  drawList();
  const wanted = new URLSearchParams(location.search).get("campaign");
  const chosen = campaigns.find((c) => c.id === wanted);
  if (chosen) await showCampaign(chosen);
  else if (wanted) { selectCampaign(null); $("campaigns-error").textContent = t("campaign_gone"); }
}

function drawList() {
  $("campaigns-empty").hidden = campaigns.length > 0;
  $("campaigns-empty").textContent = campaigns.length ? "" : t("campaigns_none");
  const head = el("tr", {}, ...["campaign_name", "dates", "state", "campaign_scales", ""].map(
    (key) => el("th", { textContent: key ? t(key) : "" })));
  $("campaigns-table").tHead.replaceChildren(head);
  $("campaigns-table").hidden = !campaigns.length;
  $("campaigns-table").tBodies[0].replaceChildren(...campaigns.map((c) => row(c)));
}

function row(c) {
  const tr = el("tr", {},
    el("td", { textContent: c.name }),
    el("td", { textContent: t("date_range", { from: c.opens_on, to: c.closes_on }) }),
    el("td", {}, el("span", { className: `state state-${c.status}`, textContent: t(`state_${c.status}`) })),
    el("td", { textContent: c.scales.map(scaleName).join(t("list_sep")) }),
    el("td", {}, el("button", { type: "button", className: "secondary", textContent: t("open_campaign"),
      onclick: () => selectCampaign(c) })));
  tr.dataset.id = c.id;  // the shown campaign's row is marked (campaign-view.js)
  return tr;
}

// Shows one campaign and puts its id in the address, so the page can be shared with the same sign-in.
async function selectCampaign(c) {
  const params = new URLSearchParams(location.search);
  if (c) params.set("campaign", c.id); else params.delete("campaign");
  history.replaceState(null, "", `${location.pathname}${params.size ? `?${params}` : ""}`);
  closeForm();
  if (c) await showCampaign(c); else $("campaign-detail").hidden = true;
}
