// The light/dark toggle: the reader's choice is kept in localStorage and set on <html> as
// data-theme before the page is drawn (the inline script in <head>), so no page flashes the
// other theme. Without a choice the system's setting decides, and the toggle follows it.
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.querySelector(".theme-toggle");
  if (!button) return;
  var system = window.matchMedia("(prefers-color-scheme: dark)");
  function isDark() {
    var chosen = root.dataset.theme;
    return chosen ? chosen === "dark" : system.matches;
  }
  function show() {
    var dark = isDark();
    button.setAttribute("aria-pressed", String(dark));
    button.textContent = dark ? "\u263E" : "\u2600";
  }
  // giscus comments start with the system's scheme; a reader's choice is sent to them once
  // they say they are there, and again on every toggle.
  function tellComments() {
    var frame = document.querySelector("iframe.giscus-frame");
    if (!frame || !root.dataset.theme) return;
    frame.contentWindow.postMessage(
      { giscus: { setConfig: { theme: root.dataset.theme } } },
      "https://giscus.app"
    );
  }
  var commentsTold = false;
  window.addEventListener("message", function (event) {
    if (event.origin !== "https://giscus.app" || commentsTold) return;
    commentsTold = true;
    tellComments();
  });
  button.addEventListener("click", function () {
    var next = isDark() ? "light" : "dark";
    root.dataset.theme = next;
    try {
      localStorage.setItem("haru-theme", next);
    } catch (error) {
      // Storage refused (private mode): the choice lasts for this page.
    }
    show();
    tellComments();
  });
  if (system.addEventListener) system.addEventListener("change", show);
  button.hidden = false;
  show();
})();
