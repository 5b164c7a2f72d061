// Sorting and verdict filtering for the claims table. No dependencies, no network.
(function () {
  function cellValue(row, index, kind) {
    var given = row.cells[index].getAttribute("data-value");
    if (given !== null && given !== "") { return parseFloat(given); }
    var text = row.cells[index].textContent.trim();
    if (kind === "number") { var n = parseFloat(text.replace(/[^0-9.\-]/g, "")); return isNaN(n) ? -Infinity : n; }
    return text.toLowerCase();
  }
  function makeSortable(table) {
    var headers = table.querySelectorAll("th[data-sort]");
    headers.forEach(function (th, index) {
      th.addEventListener("click", function () {
        var kind = th.getAttribute("data-sort");
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function makeFilter(bar) {
    var table = document.getElementById(bar.getAttribute("data-table"));
    if (!table) { return; }
    bar.querySelectorAll("button").forEach(function (button) {
      button.addEventListener("click", function () {
        var wanted = button.getAttribute("data-verdict");
        bar.querySelectorAll("button").forEach(function (b) { b.classList.toggle("is-active", b === button); });
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var show = !wanted || row.getAttribute("data-verdict") === wanted;
          row.style.display = show ? "" : "none";
        });
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
