// Sorting and verdict filtering for the claims table. No dependencies, no network.
// Sortable headers get a button (reachable with Tab, pressed with Enter or Space); a cell's data-value, when
// present, is what it sorts by (verdicts by severity, figures by value). Empty values sort last.
(function () {
  function sortKey(row, index, kind) {
    var td = row.cells[index];
    var raw = td.hasAttribute("data-value") ? td.getAttribute("data-value") : td.textContent.trim();
    if (kind === "number") {
      var n = parseFloat(String(raw).replace(/[^0-9.eE\-]/g, ""));
      return raw === "" || isNaN(n) ? null : n;
    }
    return raw === "" ? null : String(raw).toLowerCase();
  }
  function sortBy(table, headers, th, index) {
    var kind = th.getAttribute("data-sort");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, i) { r.__order = i; });
    rows.sort(function (a, b) {
      var x = sortKey(a, index, kind), y = sortKey(b, index, kind);
      if (x === null || y === null) { return x === y ? a.__order - b.__order : (x === null ? 1 : -1); }
      var c = x < y ? -1 : x > y ? 1 : 0;
      return c === 0 ? a.__order - b.__order : c * (ascending ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function makeSortable(table) {
    if (table.getAttribute("data-sortable-ready")) { return; }
    table.setAttribute("data-sortable-ready", "1");
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    headers.forEach(function (th, index) {
      if (!th.hasAttribute("data-sort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, headers, th, index); });
    });
  }
  function makeFilter(bar) {
    var table = document.getElementById(bar.getAttribute("data-table"));
    if (!table || bar.getAttribute("data-filter-ready")) { return; }
    bar.setAttribute("data-filter-ready", "1");
    var shown = bar.querySelector("[data-shown]");
    var buttons = bar.querySelectorAll("button");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var wanted = button.getAttribute("data-verdict");
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
        var count = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var show = !wanted || row.getAttribute("data-verdict") === wanted;
          row.hidden = !show;
          if (show) { count += 1; }
        });
        if (shown) { shown.textContent = String(count); }
      });
    });
  }
  function init() {
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    document.querySelectorAll(".claims-filter").forEach(makeFilter);
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
