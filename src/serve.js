(function () {
  "use strict";
  // Injected by `haru serve` only; `window.__haruGeneration` is the build this page came from.
  var generation = window.__haruGeneration;
  var english = (document.documentElement.lang || "").indexOf("en") === 0;
  var key = "haru-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved)); };
    if (document.readyState === "complete") { restore(); } else { window.addEventListener("load", restore); }
  }
  var overlay = null;
  function show(errors) {
    if (overlay) { overlay.remove(); }
    overlay = document.createElement("div");
    overlay.id = "haru-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,24,.94);color:#f5f5f5;padding:2rem;" +
      "font:14px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
    var title = document.createElement("h2");
    title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font-size:1.2rem;";
    title.textContent = english
      ? "Build failed: the last good site is still shown"
      : "빌드 실패: 마지막으로 성공한 사이트를 보여 주고 있습니다";
    overlay.appendChild(title);
    errors.forEach(function (error) {
      var item = document.createElement("pre");
      item.className = "haru-error";
      item.style.cssText = "white-space:pre-wrap;margin:0 0 1rem;";
      item.textContent = (error.place ? error.place + ": " : "") + error.message +
        (error.hint ? "\n  " + (english ? "hint: " : "도움말: ") + error.hint : "");
      overlay.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = english
      ? "Fix the file and save: this page updates by itself."
      : "파일을 고쳐 저장하면 이 페이지가 저절로 바뀝니다.";
    overlay.appendChild(note);
    document.body.appendChild(overlay);
  }
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  // EventSource reconnects by itself when the server restarts.
  var source = new EventSource("/__haru/events");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length > 0) { show(state.errors); return; }
    if (state.generation !== generation) {
      sessionStorage.setItem(key, String(window.scrollY));
      source.close();
      location.reload();
      return;
    }
    hide();
  });
})();
