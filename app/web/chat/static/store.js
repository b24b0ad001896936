// Keeps only the session id and token per org/unit, whatever the language (a language switch keeps the
// conversation), and beside them the last seen message seq (never message text); falls back to memory when
// localStorage is blocked (some in-app browsers, private modes).
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
    return typeof v.sessionId === "string" && typeof v.token === "string" ? { sessionId: v.sessionId, token: v.token }
      : null;
  } catch {
    return null;
  }
}

// The last seen seq of that session, or null (stored before seqs were remembered, or for another session).
function seenOf(raw, sessionId) {
  try {
    const v = JSON.parse(raw || "null");
    return v && v.sessionId === sessionId && Number.isInteger(v.seq) ? v.seq : null;
  } catch {
    return null;
  }
}

export function makeStore(org, unit, campaign) {
  // a campaign link keeps its own conversation: one opened on the unit's plain link is not the campaign's
  const link = `${org || ""}|${unit || ""}${campaign ? `|c:${campaign}` : ""}`;
  const base = `xinan.session.v1:${link}`;
  const key = `${base}|*`;
  const seenKey = `xinan.seen.v1:${link}`;
  const legacy = LOCALES.map((l) => `${base}|${l}`); // before the key ignored the language
  return {
    load() {
      let found = parse(read(key));
      for (const old of found ? [] : legacy) {
        found = parse(read(old));
        if (found) { write(key, JSON.stringify(found)); legacy.forEach(remove); break; }
      }
      return found && { ...found, seen: seenOf(read(seenKey), found.sessionId) };
    },
    save(sessionId, token) {
      write(key, JSON.stringify({ sessionId, token }));
      write(seenKey, JSON.stringify({ sessionId, seq: 0 }));
    },
    // The highest seq the employee has had on screen: counsellor messages after it are shown as unread.
    markSeen(seq) {
      const v = parse(read(key));
      const seen = v && seenOf(read(seenKey), v.sessionId);
      if (!v || !Number.isInteger(seq) || (seen !== null && seq <= seen)) return;
      write(seenKey, JSON.stringify({ sessionId: v.sessionId, seq }));
    },
    clear() {
      [key, seenKey, ...legacy].forEach(remove);
    },
  };
}
