// The help panel: crisis hotlines with tel: links (fetched once), privacy note and "clear my data".
import { resourceItems } from "./cards.js";
import { el } from "./dom.js";

const FOCUSABLE = "a[href], button:not([disabled]), textarea, input, [tabindex]:not([tabindex='-1'])";

export function setupHelp({ api, locale, S, onClear }) {
  const panel = document.getElementById("help-panel");
  const openBtn = document.getElementById("help-btn");
  const closeBtn = document.getElementById("help-close");
  const list = document.getElementById("help-resources");
  const clearBtn = document.getElementById("clear-btn");
  const confirmBox = document.getElementById("clear-confirm");
  const status = document.getElementById("clear-status");
  const app = document.querySelector(".app");
  let loaded = false;

  async function loadResources() {
    if (loaded) return;
    list.setAttribute("aria-busy", "true");
    try {
      const res = await api.resources(locale);
      if (res.status !== 200 || !res.data || !Array.isArray(res.data.resources)) throw new Error(String(res.status));
      list.replaceChildren(...resourceItems(res.data.resources, S));
      loaded = true;
    } catch {
      list.replaceChildren(el("li", { class: "muted", text: S.help_error }));
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  function open() {
    panel.hidden = false;
    app.inert = true;
    openBtn.setAttribute("aria-expanded", "true");
    confirmBox.hidden = true;
    clearBtn.hidden = false;
    status.textContent = "";
    closeBtn.focus();
    loadResources();
  }

  function close() {
    panel.hidden = true;
    app.inert = false;
    openBtn.setAttribute("aria-expanded", "false");
    openBtn.focus();
  }

  openBtn.addEventListener("click", open);
  closeBtn.addEventListener("click", close);
  panel.addEventListener("click", (e) => { if (e.target === panel) close(); });
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { e.preventDefault(); close(); return; }
    if (e.key !== "Tab") return;
    const items = [...panel.querySelectorAll(FOCUSABLE)].filter((n) => n.offsetParent !== null);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });
  clearBtn.addEventListener("click", () => {
    confirmBox.hidden = false;
    clearBtn.hidden = true;
    document.getElementById("clear-no").focus();
  });
  document.getElementById("clear-no").addEventListener("click", () => {
    confirmBox.hidden = true;
    clearBtn.hidden = false;
    clearBtn.focus();
  });
  document.getElementById("clear-yes").addEventListener("click", async () => {
    const ok = await onClear();
    if (ok) {
      close();
    } else {
      confirmBox.hidden = true;
      clearBtn.hidden = false;
      status.textContent = S.clear_failed;
      clearBtn.focus();
    }
  });
  return { open, close };
}
