// A unit's A4 QR poster (with &campaign=, the unit's campaign link and the campaign's name): reads ?org=&unit=, asks the scoped poster API with the staff token of the HR
// dashboard (or the console) in this tab, and fills the bilingual page. All text goes in as textContent.
const $ = (id) => document.getElementById(id);

function token() {
  const hr = sessionStorage.getItem("xinan-hr-token");
  if (hr) return hr;
  try { return JSON.parse(sessionStorage.getItem("xinan.console.auth") || "null")?.token ?? null; } catch { return null; }
}

function fail(text) {
  $("status").textContent = text;
  $("status").classList.add("error");
}

async function start() {
  $("print").addEventListener("click", () => window.print());
  const params = new URLSearchParams(location.search);
  const org = params.get("org");
  const unit = params.get("unit");
  if (!org || !unit) { fail("链接缺少单位 · This link names no unit (?org=…&unit=…)"); return; }
  const auth = token();
  if (!auth) { fail("请先登录 HR 报表或咨询台，再打开海报 · Sign in on the HR dashboard or the console first"); return; }
  const campaign = params.get("campaign");
  const query = campaign ? `?campaign=${encodeURIComponent(campaign)}` : "";
  const res = await fetch(`/api/v1/orgs/${encodeURIComponent(org)}/units/${encodeURIComponent(unit)}/poster${query}`,
    { headers: { Authorization: `Bearer ${auth}` } });
  if (res.status === 401) { fail("登录已过期，请重新登录 · Your sign-in has expired; sign in again"); return; }
  if (res.status === 403) { fail("这个账号不能打印海报 · This account may not print posters"); return; }
  if (!res.ok) { fail("没有找到这个单位 · No such unit"); return; }
  const p = await res.json();
  $("org-name").textContent = p.org_name;
  $("unit-name").textContent = p.unit_name;
  if (p.campaign_name) {
    $("campaign").textContent = `${p.campaign_name} · ${p.closes_on} 截止 · until ${p.closes_on}`;
    $("campaign").hidden = false;
  }
  $("qr").src = p.qr;
  $("link").textContent = p.link;
  document.querySelectorAll(".k").forEach((el) => { el.textContent = String(p.k); });
  $("foot").textContent = `${p.org} / ${p.unit}`;
  document.title = `${p.org_name} · ${p.unit_name} · 心安海报`;
  $("status").hidden = true;
  $("sheet").hidden = false;
  $("print").disabled = false;
}

start();
