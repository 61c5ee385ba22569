/* PortalCharts: the portal's charts in plain SVG (no library, nothing external: the page's CSP is
 * default-src 'self'). Each call appends one <figure class="chart"> to container and returns it.
 *
 *   PortalCharts.bars(container, [{label, value}], {title, unit})           horizontal bars
 *   PortalCharts.lines(container, labels, [{name, values}], {title, unit})  one line per series
 *   PortalCharts.table(container, [{key, label}], [{...}], {title})         a plain table
 *
 * Bars are horizontal because Chinese department and territory names are long; every value is
 * also written as text, so a printout in black and white still reads. No items: 「暂无数据」.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var PALETTE = ["#0b4a8f", "#c2410c", "#1e7b34", "#7c3aed", "#b3261e", "#0e7490", "#a16207", "#be185d"];
  var WIDTH = 760;

  function svgNode(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function number(value) {
    var n = Number(value);
    return isFinite(n) ? n : 0;
  }

  /* 12345 -> "12,345"; 0.5 -> "0.5": figures as people read them. */
  function format(value, unit) {
    var n = number(value);
    var text = Math.abs(n) >= 1000 ? Math.round(n).toLocaleString("zh-CN")
      : String(Math.round(n * 100) / 100);
    return text + (unit || "");
  }

  /* Tick steps of 1, 2 or 5 times a power of ten, about `count` of them. */
  function niceMax(max, count) {
    if (max <= 0) return { top: 1, step: 1 };
    var raw = max / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    return { top: Math.ceil(max / step) * step, step: step };
  }

  function figure(container, title, unit) {
    var fig = document.createElement("figure");
    fig.className = "chart";
    if (title) {
      var cap = document.createElement("figcaption");
      cap.textContent = title + (unit ? "（单位：" + unit + "）" : "");
      fig.appendChild(cap);
    }
    container.appendChild(fig);
    return fig;
  }

  function empty(fig) {
    var p = document.createElement("p");
    p.className = "chart-empty";
    p.textContent = "暂无数据";
    fig.appendChild(p);
    return fig;
  }

  /* Long labels cut with an ellipsis; the full one is in the <title> tooltip. */
  function clip(label, max) {
    label = String(label === undefined || label === null ? "" : label);
    return label.length > max ? label.slice(0, max - 1) + "…" : label;
  }

  function bars(container, items, options) {
    options = options || {};
    var fig = figure(container, options.title, options.unit);
    items = (items || []).filter(function (i) { return i; });
    if (!items.length) return empty(fig);
    var labelWidth = 170, valueWidth = 90, row = 26, top = 6;
    var barSpace = WIDTH - labelWidth - valueWidth;
    var max = Math.max.apply(null, items.map(function (i) { return number(i.value); }).concat([0]));
    var height = top * 2 + row * items.length;
    var svg = svgNode("svg", { viewBox: "0 0 " + WIDTH + " " + height, width: "100%", role: "img",
      "aria-label": (options.title || "柱状图"), class: "chart-svg", preserveAspectRatio: "xMinYMin meet" });
    svg.style.maxWidth = WIDTH + "px";
    items.forEach(function (item, index) {
      var y = top + index * row;
      var value = number(item.value);
      var length = max > 0 ? Math.max(value > 0 ? 2 : 0, barSpace * value / max) : 0;
      var g = svgNode("g", { class: "chart-row" });
      g.appendChild(svgNode("title", {}, String(item.label) + "：" + format(value, options.unit)));
      g.appendChild(svgNode("text", { x: labelWidth - 8, y: y + row / 2 + 5, "text-anchor": "end", class: "chart-label" },
        clip(item.label, 12)));
      g.appendChild(svgNode("rect", { x: labelWidth, y: y + 4, width: length, height: row - 8, rx: 2,
        fill: PALETTE[0], class: "chart-bar" }));
      g.appendChild(svgNode("text", { x: labelWidth + length + 6, y: y + row / 2 + 5, class: "chart-value" },
        format(value, options.unit)));
      svg.appendChild(g);
    });
    fig.appendChild(svg);
    return fig;
  }

  function lines(container, labels, series, options) {
    options = options || {};
    var fig = figure(container, options.title, options.unit);
    labels = labels || [];
    series = (series || []).filter(function (s) { return s && s.values; });
    if (!labels.length || !series.length) return empty(fig);
    var left = 56, right = 16, top = 12, bottom = 30, height = 280;
    var plotW = WIDTH - left - right, plotH = height - top - bottom;
    var all = [];
    series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && v !== undefined) all.push(number(v)); }); });
    var scale = niceMax(Math.max.apply(null, all.concat([0])), 5);
    var x = function (i) { return left + (labels.length === 1 ? plotW / 2 : plotW * i / (labels.length - 1)); };
    var y = function (v) { return top + plotH - plotH * number(v) / scale.top; };
    var svg = svgNode("svg", { viewBox: "0 0 " + WIDTH + " " + height, width: "100%", role: "img",
      "aria-label": (options.title || "折线图"), class: "chart-svg", preserveAspectRatio: "xMinYMin meet" });
    svg.style.maxWidth = WIDTH + "px";
    for (var t = 0; t <= scale.top + 1e-9; t += scale.step) {
      svg.appendChild(svgNode("line", { x1: left, x2: WIDTH - right, y1: y(t), y2: y(t), class: "chart-grid" }));
      svg.appendChild(svgNode("text", { x: left - 6, y: y(t) + 4, "text-anchor": "end", class: "chart-tick" }, format(t)));
    }
    // At most about 12 x labels: a month of days would overlap otherwise.
    var every = Math.max(1, Math.ceil(labels.length / 12));
    labels.forEach(function (label, i) {
      if (i % every !== 0 && i !== labels.length - 1) return;
      svg.appendChild(svgNode("text", { x: x(i), y: height - bottom + 18, "text-anchor": "middle", class: "chart-tick" },
        clip(label, 10)));
    });
    // Lines under the dots, so each dot's tooltip stays reachable.
    var lineLayer = svgNode("g", {}), dotLayer = svgNode("g", {});
    svg.appendChild(lineLayer);
    svg.appendChild(dotLayer);
    series.forEach(function (s, k) {
      var color = PALETTE[k % PALETTE.length];
      var points = [];
      s.values.forEach(function (v, i) {
        if (v === null || v === undefined || i >= labels.length) return;
        points.push(x(i) + "," + y(v));
        var dot = svgNode("circle", { cx: x(i), cy: y(v), r: 3, fill: color, class: "chart-dot" });
        dot.appendChild(svgNode("title", {}, s.name + " " + labels[i] + "：" + format(v, options.unit)));
        dotLayer.appendChild(dot);
      });
      var line = svgNode("polyline", { points: points.join(" "), fill: "none", stroke: color, "stroke-width": 2,
        class: "chart-line" });
      if (k % 2 === 1) line.setAttribute("stroke-dasharray", "6 3");   // tells series apart on paper
      lineLayer.appendChild(line);
    });
    fig.appendChild(svg);
    var legend = document.createElement("ul");
    legend.className = "chart-legend";
    series.forEach(function (s, k) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "chart-swatch" + (k % 2 === 1 ? " dashed" : "");
      swatch.style.borderColor = PALETTE[k % PALETTE.length];
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(s.name));
      legend.appendChild(li);
    });
    fig.appendChild(legend);
    return fig;
  }

  function table(container, columns, rows, options) {
    options = options || {};
    var fig = figure(container, options.title, options.unit);
    rows = rows || [];
    if (!rows.length) return empty(fig);
    var t = document.createElement("table");
    t.className = "chart-table";
    var head = t.createTHead().insertRow();
    columns.forEach(function (c) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = c.label;
      head.appendChild(th);
    });
    var body = t.createTBody();
    rows.forEach(function (r) {
      var tr = body.insertRow();
      columns.forEach(function (c) {
        var td = tr.insertCell();
        var v = r[c.key];
        td.textContent = v === undefined || v === null ? "—" : String(v);
        if (typeof v === "number") td.className = "num";
      });
    });
    fig.appendChild(t);
    return fig;
  }

  window.PortalCharts = { bars: bars, lines: lines, table: table, format: format };
})();
