// A visible and audible alert for new urgent cases: a WebAudio beep (no audio file), unlocked by a user gesture.
let ctx = null;

export function unlockAudio() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!ctx && Ctx) ctx = new Ctx();
    if (ctx && ctx.state === "suspended") ctx.resume();
  } catch { ctx = null; }
}

export function beep(times = 3) {
  const count = Number(document.body.dataset.beeps || 0) + 1;
  document.body.dataset.beeps = String(count); // observable by tests and assistive tooling
  if (!ctx) return;
  const start = ctx.currentTime + 0.02;
  for (let i = 0; i < times; i += 1) {
    const t = start + i * 0.3;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.setValueAtTime(i % 2 ? 660 : 880, t);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.35, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.22);
  }
}

let flashTimer = null;
export function flashTitle(text) {
  const original = document.title;
  let on = false;
  clearInterval(flashTimer);
  flashTimer = setInterval(() => {
    document.title = on ? original : `⚠ ${text}`;
    on = !on;
  }, 1000);
  const stop = () => { clearInterval(flashTimer); document.title = original; };
  window.addEventListener("focus", stop, { once: true });
  return stop;
}
