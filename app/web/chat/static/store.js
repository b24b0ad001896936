// Keeps only the session id, token and the last seen message seq (never message text) per org/unit, whatever the
// language (a language switch keeps the conversation); falls back to memory when localStorage is blocked (some
// in-app browsers, private modes).
const memory = new Map();
const LOCALES = ["zh-CN", "en"];

function storage() {
  try {
    const s = window.localStorage;
    s.getItem("xinan.probe");
    return s;
  } catch {
    return null;
  }
}

function read(key) {
  const s = storage();
  try { return s ? s.getItem(key) : memory.get(key) ?? null; } catch { return memory.get(key) ?? null; }
}

function write(key, raw) {
  memory.set(key, raw);
  try { storage()?.setItem(key, raw); } catch { /* memory only */ }
}

function remove(key) {
  memory.delete(key);
  try { storage()?.removeItem(key); } catch { /* nothing stored */ }
}

function parse(raw) {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw);
    if (typeof v.sessionId !== "string" || typeof v.token !== "string") return null;
    return { sessionId: v.sessionId, token: v.token, seen: Number.isInteger(v.seen) ? v.seen : null };
  } catch {
    return null;
  }
}

export function makeStore(org, unit) {
  const base = `xinan.session.v1:${org || ""}|${unit || ""}`;
  const key = `${base}|*`;
  const legacy = LOCALES.map((l) => `${base}|${l}`); // before the key ignored the language
  return {
    load() {
      const found = parse(read(key));
      if (found) return found;
      for (const old of legacy) {
        const v = parse(read(old));
        if (v) { write(key, JSON.stringify(v)); legacy.forEach(remove); return v; }
      }
      return null;
    },
    save(sessionId, token) {
      write(key, JSON.stringify({ sessionId, token, seen: 0 }));
    },
    // The highest seq the employee has had on screen: counsellor messages after it are shown as unread.
    markSeen(seq) {
      const v = parse(read(key));
      if (!v || !Number.isInteger(seq) || (v.seen !== null && seq <= v.seen)) return;
      write(key, JSON.stringify({ ...v, seen: seq }));
    },
    clear() {
      remove(key);
      legacy.forEach(remove);
    },
  };
}
