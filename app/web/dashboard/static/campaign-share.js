// Read-only share links of one campaign's participation, for unit leaders without an account: create one (its link
// is shown once, to copy: only a hash of it is stored), list them with their expiry, revoke one.
import { $, api, copy, el, t } from "./common.js";

let current = null;

const base = (c) => `/orgs/${encodeURIComponent(c.org)}/campaigns/${c.id}/shares`;

export async function showShares(c) {
  current = c;
  $("share-new").hidden = true;
  $("share-form").onsubmit = (event) => { event.preventDefault(); create(c); };
  await list(c);
}

async function create(c) {
  $("shares-error").textContent = "";
  const label = $("share-label").value.trim();
  let made;
  try {
    made = await (await api(base(c), { method: "POST", json: { label: label || null } })).json();
  } catch (err) {
    $("shares-error").textContent = t("error", { detail: err.message });
    return;
  }
  if (current !== c) return;
  $("share-form").reset();
  $("share-new-link").textContent = made.link;
  $("share-new-status").textContent = "";
  $("share-new-copy").onclick = () => copy(made.link, $("share-new-status"));
  $("share-new").hidden = false;
  await list(c);
}

async function revoke(c, share) {
  $("shares-error").textContent = "";
  try {
    await api(`${base(c)}/${share.id}`, { method: "DELETE" });
  } catch (err) {
    $("shares-error").textContent = t("error", { detail: err.message });
    return;
  }
  await list(c);
}

async function list(c) {
  let shares;
  try {
    shares = (await (await api(base(c))).json()).shares;
  } catch (err) {
    $("shares-error").textContent = t("error", { detail: err.message });
    return;
  }
  if (current !== c) return;
  $("shares-empty").hidden = shares.length > 0;
  $("shares-table").hidden = !shares.length;
  $("shares-table").tHead.replaceChildren(el("tr", {}, ...["share_for", "share_created", "share_expires", "state", ""].map(
    (key) => el("th", { textContent: key ? t(key) : "" }))));
  $("shares-table").tBodies[0].replaceChildren(...shares.map((s) => row(c, s)));
}

function row(c, s) {
  const state = s.revoked_at ? "revoked" : s.active ? "active" : "expired";
  const name = s.label || t("share_unlabelled");
  let action = null;
  if (s.active) {
    action = el("button", { type: "button", className: "secondary", textContent: t("share_revoke"), onclick: () => revoke(c, s) });
    action.setAttribute("aria-label", `${t("share_revoke")} · ${name}`);
  }
  return el("tr", { className: `share-${state}` }, el("td", { textContent: name }),
    el("td", { textContent: s.created_at.slice(0, 10) }), el("td", { textContent: s.expires_on }),
    el("td", {}, el("span", { className: `state share-state-${state}`, textContent: t(`share_${state}`) })),
    el("td", {}, action));
}
