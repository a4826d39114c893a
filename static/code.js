// Code blocks get a bar with their language and a copy button. The button is a real <button>
// (reachable with Tab, pressed with Enter or Space); "copied" is said on the button and to
// screen readers through one polite live region.
(function () {
  "use strict";
  var script = document.currentScript;
  var words = {
    copy: (script && script.dataset.copy) || "Copy",
    copied: (script && script.dataset.copied) || "Copied",
  };
  var blocks = document.querySelectorAll("pre.code");
  if (!blocks.length) return;
  var status = document.createElement("p");
  status.className = "code-status";
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  Array.prototype.forEach.call(blocks, function (pre) {
    var code = pre.querySelector("code") || pre;
    var bar = document.createElement("div");
    bar.className = "code-bar";
    if (pre.dataset.lang) {
      var language = document.createElement("span");
      language.className = "code-lang";
      language.textContent = pre.dataset.lang;
      bar.appendChild(language);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code-copy";
    button.textContent = words.copy;
    var timer = null;
    button.addEventListener("click", function () {
      copy(code.innerText).then(function () {
        button.textContent = words.copied;
        status.textContent = "";
        // A new text node each time, so a second copy is announced too.
        window.setTimeout(function () { status.textContent = words.copied; }, 30);
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { button.textContent = words.copy; }, 2000);
      });
    });
    bar.appendChild(button);
    pre.parentNode.insertBefore(bar, pre);
    pre.classList.add("has-bar");
  });
})();
