// Building blocks of the dashboard page: safe text, one time and duration format, short ids, and the small SVG
// charts. No state and no requests: dashboard.js uses these through window.bqView.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  // Queue data (model names, ids, errors, outputs) is shown with its control, bidirectional and invisible
  // characters made visible: a U+202E in "gpj.exe" would otherwise show it as "exe.jpg". Attributes used as
  // hooks (data-*) keep the raw values.
  var HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\u3164\uFEFF\uFFF9-\uFFFB]/g;
  var UUID = /\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
  var DASH = "\u2013";
  function visible(value) {
    return String(value).replace(HIDDEN, function (c) {
      return "\u27E8U+" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4) + "\u27E9";
    });
  }
  function show(node, value) { node.textContent = visible(value); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, k === "title" ? visible(attrs[k]) : attrs[k]); }); }
    if (text !== undefined && text !== null) show(node, text);
    return node;
  }
  // Durations always with a space that does not break, so "796 ms" never wraps between number and unit.
  function ms(value) {
    if (value === null || value === undefined) return DASH;
    if (value < 1000) return Math.round(value) + "\u00A0ms";
    var s = value / 1000; if (s < 90) return s.toFixed(1) + "\u00A0s";
    var m = s / 60; return m < 90 ? m.toFixed(1) + "\u00A0min" : (m / 60).toFixed(1) + "\u00A0h";
  }
  // One time format everywhere: local time to the second (with the date when not today); the exact UTC instant
  // goes in the title. Returns [text, title].
  function when(iso) {
    if (!iso) return [DASH, null];
    var d = new Date(iso), now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var text = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    if (d.toDateString() !== now.toDateString()) text = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + text;
    return [text, iso + " (UTC)"];
  }
  function time(tag, cls, iso, attrs) {
    var t = when(iso), a = attrs || {};
    a["class"] = cls; a.title = t[1]; a["data-time"] = iso || null;
    return el(tag, a, t[0]);
  }
  function shortId(id) { return id ? String(id).slice(0, 8) : ""; }
  // Notes quote job ids in full; the page's id column shows 8 characters, so do the notes.
  function shortIds(text) { return text ? String(text).replace(UUID, "$1") : text; }
  function svg(w, h, cls, points) {
    var node = document.createElementNS(SVG, "svg");
    node.setAttribute("width", w); node.setAttribute("height", h); node.setAttribute("class", cls);
    node.setAttribute("viewBox", "0 0 " + w + " " + h); node.setAttribute("data-points", points);
    return node;
  }
  function svgEl(parent, tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = visible(text);
    parent.appendChild(node); return node;
  }
  // A line chart of a few points; one point is drawn as a dot, none gives the sentence why instead of a box.
  function lineChart(points, value, label, cls, color, reference, empty) {
    if (!points.length) return el("div", { "class": "bq-note bq-chart-empty " + cls, "data-points": 0 }, empty);
    var w = 220, h = 60, node = svg(w, h, cls, points.length);
    // Headroom above the highest point, so one point or a flat line does not sit on the top edge.
    var values = points.map(value), max = Math.max.apply(null, values.map(function (v) { return v * 1.25; }).concat([reference ? reference * 2 : 0.001]));
    var y = function (v) { return h - 6 - v * (h - 12) / max; };
    if (reference) svgEl(node, "line", { x1: 0, x2: w, y1: y(reference), y2: y(reference), stroke: "#bbb", "stroke-dasharray": "3,3" });
    var xy = values.map(function (v, i) { return [values.length < 2 ? w / 2 : 6 + i * (w - 12) / (values.length - 1), y(v)]; });
    if (xy.length > 1) svgEl(node, "polyline", { fill: "none", stroke: color, "stroke-width": 2, points: xy.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ") });
    xy.forEach(function (p, i) {
      var dot = svgEl(node, "circle", { cx: p[0].toFixed(1), cy: p[1].toFixed(1), r: 3, fill: color });
      svgEl(dot, "title", {}, label + ": " + values[i].toFixed(2));
    });
    svgEl(node, "text", { x: 2, y: 10, "class": "bq-axis" }, max >= 10 ? String(Math.round(max)) : max.toPrecision(2));
    svgEl(node, "text", { x: 2, y: h - 2, "class": "bq-axis" }, "0");
    svgEl(node, "title", {}, label);
    return node;
  }
  // Which model was in memory when: one lane per model, a bar per stay, the loads counted beside the name.
  function residencyChart(models, nowMs) {
    var stays = models.residency || [], names = [];
    stays.forEach(function (s) { if (names.indexOf(s.resourceKey) < 0) names.push(s.resourceKey); });
    if (!stays.length) return el("div", { "class": "bq-note bq-chart-empty", "data-points": 0 }, "No model has been loaded since the dashboard started.");
    var start = Math.min.apply(null, stays.map(function (s) { return Date.parse(s.from); }));
    var span = Math.max(1000, nowMs - start), w = 760, left = 170, lane = 18, h = names.length * lane + 18;
    var node = svg(w, h, "bq-residency", stays.length);
    var x = function (t) { return left + (w - left - 8) * (t - start) / span; };
    names.forEach(function (name, i) {
      var loads = (models.loads || {})[name] || 0;
      svgEl(node, "text", { x: 0, y: i * lane + 13, "class": "bq-lane-label" }, name + " (" + loads + (loads === 1 ? " load)" : " loads)"));
    });
    stays.forEach(function (s) {
      var i = names.indexOf(s.resourceKey), from = Date.parse(s.from), to = s.to ? Date.parse(s.to) : nowMs;
      var bar = svgEl(node, "rect", { x: x(from).toFixed(1), y: i * lane + 3, width: Math.max(2, x(to) - x(from)).toFixed(1), height: lane - 6,
        "class": "bq-stay" + (s.to ? "" : " bq-stay-open"), "data-model": s.resourceKey });
      svgEl(bar, "title", {}, s.resourceKey + ": " + when(s.from)[0] + " \u2013 " + (s.to ? when(s.to)[0] : "now"));
    });
    svgEl(node, "text", { x: left, y: h - 2, "class": "bq-axis" }, when(new Date(start).toISOString())[0]);
    svgEl(node, "text", { x: w - 8, y: h - 2, "class": "bq-axis", "text-anchor": "end" }, "now");
    return node;
  }
  window.bqVisible = visible;
  window.bqView = { visible: visible, show: show, el: el, ms: ms, when: when, time: time, shortId: shortId,
    shortIds: shortIds, lineChart: lineChart, residencyChart: residencyChart, DASH: DASH };
})();
