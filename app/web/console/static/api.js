// The console's only door to the server: the staff token (tab-scoped), JSON calls, login, and the live feed.
const KEY = "xinan.console.auth";

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === "string" ? detail
      : Array.isArray(detail) ? detail.map((d) => `${(d.loc || []).slice(-1)[0] ?? ""}: ${d.msg}`).join("; ")
        : JSON.stringify(detail));
    this.status = status;
    this.detail = detail;  // a 422's list of {loc, msg, type}: forms place each message by its field
  }
}

export const auth = {
  get() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch { return null; }
  },
  set(value) { sessionStorage.setItem(KEY, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(KEY); },
};

let onUnauthorized = () => {};
export function whenUnauthorized(fn) { onUnauthorized = fn; }

export async function api(method, path, body) {
  const current = auth.get();
  const headers = { Accept: "application/json" };
  if (current) headers.Authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = r.status === 204 ? null : await r.json().catch(() => null);
  if (r.status === 401) {
    onUnauthorized();
  }
  if (!r.ok) throw new ApiError(r.status, (data && data.detail) || r.statusText);
  return data;
}

export async function login(username, password) {
  const r = await fetch("/api/v1/auth/token", {
    method: "POST",
    body: new URLSearchParams({ username, password }),
  });
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, (data && data.detail) || r.statusText);
  auth.set({ token: data.access_token, role: data.role, username });
  return data;
}

/** The account holder replaces the password (a one-time one included); every session of the account ends. */
export async function changePassword(username, password, newPassword) {
  const r = await fetch("/api/v1/auth/password", {
    method: "POST",
    body: new URLSearchParams({ username, password, new_password: newPassword }),
  });
  if (r.ok) return;
  const data = await r.json().catch(() => null);
  throw new ApiError(r.status, (data && data.detail) || r.statusText);
}

export async function logout() {
  try { await api("POST", "/api/v1/auth/logout"); } catch { /* already gone */ }
  auth.clear();
}

// EventSource cannot send headers: this one route takes the token as a query parameter.
export function openStream(handlers) {
  const current = auth.get();
  const es = new EventSource(`/api/v1/escalations/stream?access_token=${encodeURIComponent(current.token)}`);
  for (const [name, fn] of Object.entries(handlers)) {
    if (name === "error") es.onerror = fn;
    else es.addEventListener(name, (ev) => fn(JSON.parse(ev.data)));
  }
  return es;
}
