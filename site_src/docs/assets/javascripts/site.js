// Small fixes on top of the theme. No dependencies, no network.
// 1. The version selector (published versions only): choosing the version that carries the `latest` alias
//    stays on latest/ (the same page there), rather than moving to that version's dated folder.
// 2. Accessibility: the search dialog gets a name, and a table that scrolls sideways inside its box can be
//    reached with the keyboard (focusable).
(function () {
  function accessible() {
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Search");
    });
    // the theme's tables scroll inside themselves (overflow: auto on the table)
    document.querySelectorAll(".md-typeset__table > table:not([tabindex])").forEach(function (table) {
      table.setAttribute("tabindex", "0");
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(function () { window.setTimeout(accessible, 0); });
  } else { document.addEventListener("DOMContentLoaded", accessible); }

  function versionRoot() {
    var node = document.getElementById("__config");
    var base = ".";
    try { base = JSON.parse(node.textContent).base || "."; } catch (e) { base = "."; }
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a.md-version__link") : null;
    if (!link || event.metaKey || event.ctrlKey) { return; }
    var alias = link.querySelector(".md-version__alias");
    if (!alias || alias.textContent.trim() !== "latest") { return; }
    var root = versionRoot();
    var here = window.location.href.slice(root.href.length).split("#")[0];
    if (window.location.href.indexOf(root.href) !== 0) { here = ""; }
    event.preventDefault();
    event.stopImmediatePropagation();
    window.location.href = new URL("../latest/" + here, root).href;
  }, true);
})();
