// Keeps only the session id and token (never message text) per org/unit/locale; falls back to memory when
// localStorage is blocked (some in-app browsers, private modes).
const memory = new Map();

function storage() {
  try {
    const s = window.localStorage;
    s.getItem("xinan.probe");
    return s;
  } catch {
    return null;
  }
}

export function makeStore(org, unit, locale) {
  const key = `xinan.session.v1:${org || ""}|${unit || ""}|${locale}`;
  return {
    load() {
      const s = storage();
      let raw = null;
      try { raw = s ? s.getItem(key) : memory.get(key) ?? null; } catch { raw = memory.get(key) ?? null; }
      if (!raw) return null;
      try {
        const v = JSON.parse(raw);
        return typeof v.sessionId === "string" && typeof v.token === "string" ? v : null;
      } catch {
        return null;
      }
    },
    save(sessionId, token) {
      const raw = JSON.stringify({ sessionId, token });
      memory.set(key, raw);
      try { storage()?.setItem(key, raw); } catch { /* memory only */ }
    },
    clear() {
      memory.delete(key);
      try { storage()?.removeItem(key); } catch { /* nothing stored */ }
    },
  };
}
