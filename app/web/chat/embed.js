// Xin'an embed snippet: <script src="https://xinan.example/embed.js" data-org="…" data-unit="…" data-locale="en">
// adds a floating button that opens the chat in an iframe. Styles are set through the DOM (no inline <style>),
// so a host page with a strict CSP works too.
(function () {
  "use strict";
  var STRINGS = __XINAN_STRINGS__;
  var script = document.currentScript;
  if (!script || window.__xinanEmbed) return;
  window.__xinanEmbed = true;
  var origin = new URL(script.src, document.baseURI).origin;
  var data = script.dataset;
  var locale = data.locale === "en" ? "en" : "zh-CN";
  var t = STRINGS[locale];
  var params = new URLSearchParams({ locale: locale, embed: "1" });
  if (data.org) params.set("org", data.org);
  if (data.unit) params.set("unit", data.unit);
  var src = origin + "/chat?" + params.toString();
  var frame = null;
  var open = false;

  function css(node, rules) {
    for (var k in rules) node.style.setProperty(k, rules[k]);
  }

  var button = document.createElement("button");
  button.type = "button";
  button.id = "xinan-embed-button";
  button.textContent = t.embed_button;
  button.setAttribute("aria-label", t.embed_open);
  button.setAttribute("aria-expanded", "false");
  css(button, {
    position: "fixed", right: "1rem", bottom: "1rem", "z-index": "2147483000", "min-width": "3.5rem",
    "min-height": "3.5rem", padding: "0 1rem", border: "0", "border-radius": "1.75rem", background: "#057a3a",
    color: "#fff", "font-size": "1rem", "font-weight": "600", cursor: "pointer",
    "box-shadow": "0 4px 14px rgba(0,0,0,.25)", "font-family": "inherit",
  });

  function layout() {
    if (!frame) return;
    var small = window.matchMedia("(max-width: 480px)").matches;
    css(frame, small
      ? { right: "0", bottom: "0", width: "100vw", height: "100vh", "border-radius": "0" }
      : { right: "1rem", bottom: "5.5rem", width: "24rem", height: "min(40rem, calc(100vh - 7rem))",
        "border-radius": "0.75rem" });
    css(button, { display: small && open ? "none" : "inline-flex", "align-items": "center",
      "justify-content": "center" });
  }

  function show() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "xinan-embed-frame";
      frame.src = src;
      frame.title = t.embed_frame_title;
      frame.setAttribute("referrerpolicy", "no-referrer");
      css(frame, { position: "fixed", "z-index": "2147483001", border: "0", background: "#ededed",
        "box-shadow": "0 8px 30px rgba(0,0,0,.3)" });
      document.body.appendChild(frame);
    }
    frame.style.display = "block";
    open = true;
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-label", t.embed_close);
    layout();
    frame.focus();
  }

  function hide() {
    if (frame) frame.style.display = "none";
    open = false;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", t.embed_open);
    layout();
    button.focus();
  }

  button.addEventListener("click", function () { if (open) hide(); else show(); });
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || !frame || e.source !== frame.contentWindow) return;
    if (e.data && e.data.type === "xinan:close") hide();
  });
  window.addEventListener("resize", layout);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && open) hide(); });

  function mount() { document.body.appendChild(button); layout(); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
