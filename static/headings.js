// Entry pages: a link beside each heading that copies the page's address with the heading's
// own (Hangul) anchor, and, on wide screens where the contents sit in the margin, the heading
// being read marked in them.
(function () {
  "use strict";
  var script = document.currentScript;
  var words = {
    link: (script && script.dataset.link) || "Link to this heading",
    copied: (script && script.dataset.copied) || "Link copied",
  };
  var article = document.querySelector("article.entry, article.page");
  if (!article) return;

  // A section's heading carries no id: its <section> does.
  function anchorOf(heading) {
    if (heading.id) return heading.id;
    var parent = heading.parentElement;
    if (parent && parent.tagName === "SECTION" && parent.id && parent.firstElementChild === heading) {
      return parent.id;
    }
    return null;
  }

  var status = document.createElement("p");
  status.className = "heading-status";
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  var headings = [];
  article.querySelectorAll("h2, h3, h4").forEach(function (heading) {
    var id = anchorOf(heading);
    if (!id || heading.closest(".kpt, .related, .comments, .toc")) return;
    headings.push({ heading: heading, id: id });
    var link = document.createElement("a");
    link.className = "heading-anchor";
    link.href = "#" + encodeURIComponent(id);
    link.setAttribute("aria-label", words.link + ": " + heading.textContent.trim());
    link.textContent = "#";
    link.addEventListener("click", function () {
      // The address as a reader would paste it: the anchor in Hangul, not percent-encoded.
      var address = location.origin + location.pathname + "#" + id;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(address).then(function () {
          status.textContent = "";
          status.textContent = words.copied;
        }, function () {});
      }
    });
    heading.appendChild(document.createTextNode(" "));
    heading.appendChild(link);
  });

  var toc = document.querySelector(".toc");
  if (!toc || !headings.length) return;
  var links = {};
  toc.querySelectorAll("a[href^='#']").forEach(function (link) {
    links[decodeURIComponent(link.getAttribute("href").slice(1))] = link;
  });
  var current = null;
  function mark() {
    // The heading being read: the last one whose top has passed the upper fifth of the window.
    var line = window.innerHeight / 5;
    var found = null;
    for (var i = 0; i < headings.length; i++) {
      if (!links[headings[i].id]) continue;
      if (headings[i].heading.getBoundingClientRect().top <= line) found = headings[i].id;
      else break;
    }
    if (found === null) {
      for (var j = 0; j < headings.length; j++) {
        if (links[headings[j].id]) { found = headings[j].id; break; }
      }
    }
    var link = found === null ? null : links[found];
    if (link === current) return;
    if (current) { current.removeAttribute("aria-current"); }
    if (link) { link.setAttribute("aria-current", "location"); }
    current = link;
  }
  var pending = false;
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; mark(); });
  }, { passive: true });
  window.addEventListener("resize", mark);
  window.addEventListener("hashchange", mark);
  mark();
})();
