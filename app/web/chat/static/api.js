// The employee API of API.md ("Employee"): every call answers {status, data}; a failed fetch throws NetworkError.
export class NetworkError extends Error {}

const TIMEOUT_MS = 25000;

export function makeApi(base) {
  async function call(method, path, { token, body } = {}) {
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    let res;
    try {
      res = await fetch(base + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store", credentials: "omit", signal: abort.signal,
      });
    } catch (err) {
      throw new NetworkError(String(err));
    } finally {
      clearTimeout(timer);
    }
    let data = null;
    if (res.status !== 204) {
      try { data = await res.json(); } catch { data = null; }
    }
    return { status: res.status, data };
  }
  const session = (id) => `/sessions/${encodeURIComponent(id)}`;
  return {
    createSession: (org, unit, locale, campaign) =>
      call("POST", "/sessions", { body: campaign ? { org, unit, locale, campaign } : { org, unit, locale } }),
    send: (id, token, body) => call("POST", `${session(id)}/messages`, { token, body }),
    history: (id, token, afterSeq) => call("GET", `${session(id)}/messages?after_seq=${afterSeq}`, { token }),
    erase: (id, token) => call("DELETE", session(id), { token }),
    setLocale: (id, token, locale) => call("PATCH", session(id), { token, body: { locale } }),
    resources: (locale) => call("GET", `/resources?locale=${encodeURIComponent(locale)}`),
  };
}

// A v4 UUID for client_msg_id; crypto.randomUUID exists only on https, intranets often serve plain http.
export function uuid() {
  if (globalThis.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
