// Values on hover and keyboard focus for the static SVG charts. No dependencies, no network.
// Each chart carries its points (x, y in the SVG's own coordinates, series number, text) in a JSON script
// beside the SVG; described marks (bars, dots) carry their text in aria-label. Without this script the
// charts are plain pictures, with the same data in the Table tab.
// The Download tab gets a PNG button: the wide picture, drawn on a canvas here in the browser (the site
// stores no PNG of its charts). Without JavaScript the tab offers the CSV and the SVG.
(function () {
  var SVGNS = "http://www.w3.org/2000/svg";

  function visibleVariant(frame) {
    var variants = frame.querySelectorAll(".chart-variant");
    for (var i = 0; i < variants.length; i++) {
      if (variants[i].offsetParent !== null) { return variants[i]; }
    }
    return null;
  }

  function readVariant(variant) {
    if (variant.__chart) { return variant.__chart; }
    var data = { series: [], points: [] };
    var script = variant.querySelector("script.chart-points");
    try { if (script) { data = JSON.parse(script.textContent); } } catch (e) { data = { series: [], points: [] }; }
    var bySeries = {};
    data.points.forEach(function (p) { (bySeries[p[2]] = bySeries[p[2]] || []).push(p); });
    var xs = data.points.map(function (p) { return p[0]; }).sort(function (a, b) { return a - b; });
    var steps = xs.filter(function (x, i) { return i === 0 || x - xs[i - 1] >= 2; });
    var svg = variant.querySelector("svg");
    // described bars and dots (text labels and lines carry descriptions too, but are not values to show)
    var marks = Array.prototype.slice.call(svg.querySelectorAll(
      ".mark-rect.role-mark path[aria-label], .mark-symbol.role-mark path[aria-label]"));
    var overlay = document.createElementNS(SVGNS, "g");
    overlay.setAttribute("class", "chart-hover");
    overlay.setAttribute("pointer-events", "none");
    overlay.setAttribute("aria-hidden", "true");
    svg.appendChild(overlay);
    variant.__chart = { data: data, bySeries: bySeries, steps: steps, svg: svg, marks: marks, overlay: overlay };
    return variant.__chart;
  }

  function nearest(list, x) {
    var lo = 0, hi = list.length - 1;
    if (hi < 0) { return null; }
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid][0] < x) { lo = mid + 1; } else { hi = mid; }
    }
    if (lo > 0 && Math.abs(list[lo - 1][0] - x) <= Math.abs(list[lo][0] - x)) { lo -= 1; }
    return list[lo];
  }

  function pointsAt(chart, x) {
    var found = [];
    Object.keys(chart.bySeries).forEach(function (key) {
      var p = nearest(chart.bySeries[key], x);
      if (p && Math.abs(p[0] - x) <= 12) { found.push(p); }
    });
    return found;
  }

  function clear(frame) {
    frame.querySelectorAll(".chart-hover").forEach(function (g) { while (g.firstChild) { g.removeChild(g.firstChild); } });
    var tip = frame.querySelector(".chart-tip");
    tip.classList.remove("is-shown");
    tip.textContent = "";
  }

  function show(frame, chart, items, at) {
    clear(frame);
    if (!items.length) { return; }
    var tip = frame.querySelector(".chart-tip");
    items.forEach(function (item) {
      var line = document.createElement("div");
      if (item.colour) {
        var swatch = document.createElement("span");
        swatch.className = "chart-tip__swatch";
        swatch.style.background = item.colour;
        line.appendChild(swatch);
      }
      line.appendChild(document.createTextNode(item.text));
      tip.appendChild(line);
      if (item.x !== undefined) {
        var dot = document.createElementNS(SVGNS, "circle");
        dot.setAttribute("cx", item.x); dot.setAttribute("cy", item.y); dot.setAttribute("r", 4);
        dot.setAttribute("fill", item.colour || "#111"); dot.setAttribute("stroke", "#fff");
        chart.overlay.appendChild(dot);
      }
    });
    if (at && at.rule) {
      var box = chart.svg.viewBox.baseVal;
      var rule = document.createElementNS(SVGNS, "line");
      rule.setAttribute("x1", at.x); rule.setAttribute("x2", at.x);
      rule.setAttribute("y1", 0); rule.setAttribute("y2", box ? box.height : 0);
      rule.setAttribute("stroke", "#64748b"); rule.setAttribute("stroke-dasharray", "3 3");
      chart.overlay.insertBefore(rule, chart.overlay.firstChild);
    }
    tip.classList.add("is-shown");
    var frameBox = frame.getBoundingClientRect();
    var svgBox = chart.svg.getBoundingClientRect();
    var scale = chart.svg.viewBox.baseVal && chart.svg.viewBox.baseVal.width ?
      svgBox.width / chart.svg.viewBox.baseVal.width : 1;
    var left = svgBox.left - frameBox.left + (at ? at.x * scale : 0) + 12;
    var maxLeft = frame.clientWidth - tip.offsetWidth - 4;
    tip.style.left = Math.max(4, Math.min(left, maxLeft)) + "px";
    tip.style.top = Math.max(4, svgBox.top - frameBox.top + (at ? at.y * scale : 0) - tip.offsetHeight - 8) + "px";
  }

  function linePoints(chart, x) {
    return pointsAt(chart, x).map(function (p) {
      return { x: p[0], y: p[1], colour: chart.data.series[p[2]], text: p[3] };
    });
  }

  function markItem(chart, el) {
    var svgBox = chart.svg.getBoundingClientRect();
    var b = el.getBoundingClientRect();
    var scale = chart.svg.viewBox.baseVal.width ? chart.svg.viewBox.baseVal.width / svgBox.width : 1;
    return { text: el.getAttribute("aria-label"), colour: el.getAttribute("fill") || el.getAttribute("stroke"),
             at: { x: (b.left + b.width / 2 - svgBox.left) * scale, y: (b.top - svgBox.top) * scale } };
  }

  function setup(frame) {
    if (frame.__ready) { return; }
    frame.__ready = true;
    var index = -1;
    frame.addEventListener("pointermove", function (event) {
      var variant = visibleVariant(frame);
      if (!variant) { return; }
      var chart = readVariant(variant);
      var target = event.target;
      if (target && target.getAttribute && target.getAttribute("aria-label") && chart.marks.indexOf(target) >= 0) {
        var item = markItem(chart, target);
        show(frame, chart, [item], item.at);
        return;
      }
      if (!chart.steps.length) { clear(frame); return; }
      var pt = chart.svg.createSVGPoint();
      pt.x = event.clientX; pt.y = event.clientY;
      var local = pt.matrixTransform(chart.svg.getScreenCTM().inverse());
      var items = linePoints(chart, local.x);
      show(frame, chart, items, items.length ? { x: items[0].x, y: Math.min.apply(null, items.map(function (i) { return i.y; })), rule: true } : null);
    });
    frame.addEventListener("pointerleave", function () { clear(frame); });
    frame.addEventListener("blur", function () { clear(frame); index = -1; });
    frame.addEventListener("keydown", function (event) {
      var variant = visibleVariant(frame);
      if (!variant) { return; }
      var chart = readVariant(variant);
      var count = chart.steps.length || chart.marks.length;
      if (!count) { return; }
      var key = event.key;
      if (key === "ArrowRight" || key === "ArrowDown") { index = Math.min(count - 1, index + 1); }
      else if (key === "ArrowLeft" || key === "ArrowUp") { index = Math.max(0, index < 0 ? 0 : index - 1); }
      else if (key === "Home") { index = 0; }
      else if (key === "End") { index = count - 1; }
      else if (key === "Escape") { clear(frame); index = -1; return; }
      else { return; }
      event.preventDefault();
      if (chart.steps.length) {
        var items = linePoints(chart, chart.steps[index]);
        show(frame, chart, items, items.length ? { x: items[0].x, y: Math.min.apply(null, items.map(function (i) { return i.y; })), rule: true } : null);
      } else {
        var item = markItem(chart, chart.marks[index]);
        show(frame, chart, [item], item.at);
      }
    });
  }

  var PNG_SCALE = 2;

  function savePng(figure, name) {
    var source = figure.querySelector(".chart-wide svg") || figure.querySelector(".chart-variant svg");
    if (!source) { return; }
    var svg = source.cloneNode(true);
    svg.querySelectorAll(".chart-hover").forEach(function (g) { g.parentNode.removeChild(g); });
    svg.setAttribute("xmlns", SVGNS);
    var box = source.viewBox.baseVal;
    var width = parseFloat(source.getAttribute("width")) || (box && box.width) || 680;
    var height = parseFloat(source.getAttribute("height")) || (box && box.height) || 400;
    var text = new XMLSerializer().serializeToString(svg);
    var url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml;charset=utf-8" }));
    var img = new Image();
    img.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * PNG_SCALE);
      canvas.height = Math.round(height * PNG_SCALE);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob(function (blob) {
        if (!blob) { return; }
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = name;
        document.body.appendChild(link);
        link.click();
        document.body.removeChild(link);
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
      }, "image/png");
    };
    img.onerror = function () { URL.revokeObjectURL(url); };
    img.src = url;
  }

  function addPngButton(frame) {
    var figure = frame.closest("figure.chart");
    var list = figure && figure.querySelector(".chart-downloads");
    if (!list || list.querySelector(".chart-png")) { return; }
    var svgLink = list.querySelector('a[href$=".svg"]');
    var name = svgLink ? svgLink.getAttribute("href").split("/").pop().replace(/\.svg$/, ".png") : "chart.png";
    var item = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chart-png";
    button.textContent = "The chart as a picture (PNG)";
    button.addEventListener("click", function () { savePng(figure, name); });
    item.appendChild(button);
    list.appendChild(item);
  }

  function init() {
    document.querySelectorAll("[data-chart]").forEach(function (frame) { setup(frame); addPngButton(frame); });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
