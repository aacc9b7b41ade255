(function () {
  "use strict";
  var root = document.getElementById("bq-root");
  var base = root.getAttribute("data-base");
  var actions = root.getAttribute("data-actions-enabled") === "true";
  var token = null, detailId = null, refreshTimer = null, state = { jobs: [], plan: null, stats: null };
  function $(id) { return document.getElementById(id); }
  // Queue data (model names, ids, errors, outputs) is shown with its control, bidirectional and invisible
  // characters made visible: a U+202E in "gpj.exe" would otherwise show it as "exe.jpg". Attributes used as
  // hooks (data-*) keep the raw values.
  var HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2069\u3164\uFEFF\uFFF9-\uFFFB]/g;
  function visible(value) {
    return String(value).replace(HIDDEN, function (c) {
      return "\u27E8U+" + ("000" + c.charCodeAt(0).toString(16).toUpperCase()).slice(-4) + "\u27E9";
    });
  }
  window.bqVisible = visible;
  function show(node, value) { node.textContent = visible(value); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, k === "title" ? visible(attrs[k]) : attrs[k]); }); }
    if (text !== undefined && text !== null) show(node, text);
    return node;
  }
  function ms(value) {
    if (value === null || value === undefined) return "\u2013";
    if (value < 1000) return value + " ms";
    var s = value / 1000; if (s < 90) return s.toFixed(1) + " s";
    var m = s / 60; return m < 90 ? m.toFixed(1) + " min" : (m / 60).toFixed(1) + " h";
  }
  function clock(iso) { return iso ? new Date(iso).toLocaleTimeString() : "\u2013"; }
  function message(text) { show($("bq-message"), text || ""); }
  function getJson(path) {
    return fetch(base + path, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw new Error(body.error || r.status); return body; });
    });
  }
  function post(path, body) {
    return fetch(base + "/api/" + path, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token || "" },
      body: body ? JSON.stringify(body) : "" }).then(function (r) {
      return r.json().then(function (answer) {
        if (!r.ok) { message(r.status + ": " + (answer.error || "")); } else { message(""); }
        refreshSoon(); return answer;
      });
    }).catch(function (e) { message(String(e)); });
  }
  function button(label, action, path, jobId, itemId) {
    var b = el("button", { "data-action": action, "data-job-id": jobId, "data-item-id": itemId, "class": "bq-action bq-action-" + action }, label);
    b.addEventListener("click", function (e) { e.stopPropagation(); post(path); });
    return b;
  }
  function progress(job) {
    var bar = el("div", { "class": "bq-progress", "data-done": job.done, "data-failed": job.failed,
      "data-skipped": job.skipped + job.cancelled, "data-total": job.total,
      title: job.done + " done, " + job.failed + " failed, " + (job.skipped + job.cancelled) + " skipped of " + job.total });
    [["done", job.done], ["failed", job.failed], ["skipped", job.skipped + job.cancelled], ["running", job.running]].forEach(function (p) {
      var s = el("span", { "class": "bq-seg-" + p[0] }); s.style.width = (job.total ? 100 * p[1] / job.total : 0) + "%"; bar.appendChild(s);
    });
    return bar;
  }
  function renderJobs(jobs) {
    var body = $("bq-job-rows"); body.textContent = "";
    jobs.forEach(function (job) {
      var active = job.status === "queued" || job.status === "running";
      var row = el("tr", { "class": "bq-job", "data-job-id": job.id, "data-status": job.status, "data-model": job.resourceKey });
      row.appendChild(el("td", { "class": "bq-model" }, job.resourceKey));
      row.appendChild(el("td", { "class": "bq-operation" }, job.operation));
      row.appendChild(el("td", { "class": "bq-status bq-status-" + job.status }, job.status));
      var cell = el("td"); cell.appendChild(progress(job)); row.appendChild(cell);
      row.appendChild(el("td", { "class": "bq-counts" }, job.done + " / " + job.failed + " / " + (job.skipped + job.cancelled) + " of " + job.total));
      row.appendChild(el("td", { "class": "bq-eta", "data-eta-ms": active ? job.remainingMs : null }, active ? ms(job.remainingMs) : "\u2013"));
      row.appendChild(el("td", { "class": "bq-start", "data-expected-start": job.status === "queued" ? job.expectedStart : null },
        job.status === "queued" ? clock(job.expectedStart) : clock(job.startedAt)));
      row.appendChild(el("td", { "class": "bq-priority" }, job.priority));
      var buttons = el("td", { "class": "bq-actions" });
      buttons.appendChild(button2("Details", function () { openDetail(job.id); }, "details", job.id));
      if (actions) {
        if (active) buttons.appendChild(button("Cancel", "cancel", "jobs/" + enc(job.id) + "/cancel", job.id));
        if (job.failed > 0 && !active) buttons.appendChild(button("Retry failed", "retry", "jobs/" + enc(job.id) + "/retry", job.id));
        if (job.status === "queued") {
          buttons.appendChild(button("Move to front", "front", "jobs/" + enc(job.id) + "/front", job.id));
          var select = el("select", { "class": "bq-action bq-action-priority", "data-action": "priority", "data-job-id": job.id });
          ["low", "normal", "high"].forEach(function (p) { var o = el("option", { value: p }, p); if (p === job.priority) o.selected = true; select.appendChild(o); });
          select.addEventListener("change", function () { post("jobs/" + enc(job.id) + "/priority", { priority: select.value }); });
          buttons.appendChild(select);
        }
      }
      row.appendChild(buttons);
      body.appendChild(row);
    });
  }
  function button2(label, onClick, action, jobId) {
    var b = el("button", { "data-action": action, "data-job-id": jobId, "class": "bq-" + action }, label);
    b.addEventListener("click", onClick); return b;
  }
  function enc(id) { return encodeURIComponent(id); }
  function renderPlan(plan) {
    var paused = plan.paused;
    $("bq-queue-state").textContent = paused ? "paused" : "running";
    $("bq-queue-state").setAttribute("data-paused", String(paused));
    $("bq-pause").disabled = paused; $("bq-resume").disabled = !paused;
    var list = $("bq-plan"); list.textContent = "";
    plan.plan.forEach(function (entry) {
      var li = el("li", { "class": "bq-plan-entry", "data-job-id": entry.id, "data-position": entry.position, "data-reordered": String(entry.reordered) },
        entry.resourceKey + " " + entry.operation + " (" + entry.items + " items, " + entry.priority + ") \u2013 starts " + clock(entry.expectedStart) + " ");
      if (entry.reorderNote) li.appendChild(el("span", { "class": "bq-reorder-note bq-note" }, entry.reorderNote));
      list.appendChild(li);
    });
    var models = plan.models;
    show($("bq-loaded-model"), models.loadedModel || "none");
    show($("bq-resident-models"), models.residentModels.length ? models.residentModels.join(", ") : "none");
    var history = $("bq-model-history"); history.textContent = "";
    models.history.slice().reverse().forEach(function (e) {
      var text = clock(e.time) + " " + e.kind.replace("_", " ") + ": " + (e.fromResourceKey ? e.fromResourceKey + " \u2192 " : "") + (e.resourceKey || "")
        + (e.reason ? " \u2013 " + e.reason : "") + (e.durationMs !== null ? " (" + ms(e.durationMs) + ")" : "") + (e.error ? " error: " + e.error : "");
      history.appendChild(el("li", { "class": "bq-model-event", "data-kind": e.kind, "data-model": e.resourceKey }, text));
    });
  }
  function chart(points, value, label, cls) {
    var w = 220, h = 60, ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", w); svg.setAttribute("height", h); svg.setAttribute("class", cls);
    svg.setAttribute("data-points", points.length);
    var values = points.map(value), max = Math.max.apply(null, values.concat([cls === "bq-eta-accuracy" ? 2 : 0.001]));
    if (cls === "bq-eta-accuracy") {
      var one = document.createElementNS(ns, "line"), y1 = h - 4 - (h - 8) / max;
      one.setAttribute("x1", 0); one.setAttribute("x2", w); one.setAttribute("y1", y1); one.setAttribute("y2", y1);
      one.setAttribute("stroke", "#bbb"); one.setAttribute("stroke-dasharray", "3,3"); svg.appendChild(one);
    }
    var line = document.createElementNS(ns, "polyline");
    line.setAttribute("fill", "none"); line.setAttribute("stroke", cls === "bq-eta-accuracy" ? "#c77c1e" : "#1d5fb4"); line.setAttribute("stroke-width", "2");
    line.setAttribute("points", values.map(function (v, i) {
      var x = values.length < 2 ? w / 2 : 4 + i * (w - 8) / (values.length - 1);
      return x.toFixed(1) + "," + (h - 4 - v * (h - 8) / max).toFixed(1);
    }).join(" "));
    svg.appendChild(line);
    var title = document.createElementNS(ns, "title"); title.textContent = label; svg.appendChild(title);
    return svg;
  }
  function renderStats(stats) {
    var box = $("bq-charts"); box.textContent = "";
    Object.keys(stats.models).forEach(function (model) {
      var m = stats.models[model], div = el("div", { "class": "bq-chart", "data-model": model });
      div.appendChild(el("div", null, model));
      var last = m.throughput.length ? m.throughput[m.throughput.length - 1].itemsPerSecond.toFixed(2) + " items/s" : "no data";
      div.appendChild(el("div", { "class": "bq-note" }, "Throughput per job: " + last));
      div.appendChild(chart(m.throughput, function (p) { return p.itemsPerSecond; }, "items per second per job", "bq-throughput"));
      var acc = m.etaAccuracy.length ? m.etaAccuracy[m.etaAccuracy.length - 1].ratio.toFixed(2) : "no data";
      div.appendChild(el("div", { "class": "bq-note" }, "ETA predicted / actual (1 = exact): " + acc));
      div.appendChild(chart(m.etaAccuracy, function (p) { return p.ratio; }, "predicted / actual duration", "bq-eta-accuracy"));
      box.appendChild(div);
    });
    if (!box.childNodes.length) box.appendChild(el("div", { "class": "bq-note" }, "No finished jobs seen yet."));
  }
  function renderDetail(job) {
    var section = $("bq-detail");
    section.classList.remove("bq-hidden"); section.setAttribute("data-job-id", job.id); section.setAttribute("data-status", job.status);
    show($("bq-detail-title"), job.resourceKey + " " + job.operation + " (" + job.id + ") \u2013 " + job.status);
    show($("bq-detail-times"), "created " + (job.createdAt || "\u2013") + ", started " + (job.startedAt || "\u2013")
      + ", completed " + (job.completedAt || "\u2013") + (job.reorderNote ? " \u2013 " + job.reorderNote : ""));
    var body = $("bq-item-rows"); body.textContent = "";
    job.items.forEach(function (item) {
      var row = el("tr", { "class": "bq-item", "data-item-id": item.id, "data-status": item.status });
      row.appendChild(el("td", { title: item.data || "" }, item.id));
      row.appendChild(el("td", { "class": "bq-status bq-status-" + item.status }, item.status));
      row.appendChild(el("td", { "class": "bq-duration", "data-duration-ms": item.durationMs }, ms(item.durationMs)));
      var out = el("td", { "class": "bq-output" }); out.appendChild(el("pre", null, item.output || "")); row.appendChild(out);
      row.appendChild(el("td", { "class": "bq-error" }, item.error || ""));
      row.appendChild(el("td", { "class": "bq-item-started" }, item.startedAt || "\u2013"));
      row.appendChild(el("td", { "class": "bq-item-finished" }, item.finishedAt || "\u2013"));
      var cell = el("td");
      if (actions && (item.status === "pending" || item.status === "running")) {
        cell.appendChild(button("Cancel", "cancel-item", "jobs/" + enc(job.id) + "/items/" + enc(item.id) + "/cancel", job.id, item.id));
      }
      row.appendChild(cell);
      body.appendChild(row);
    });
  }
  function openDetail(id) {
    detailId = id;
    getJson("/api/jobs/" + enc(id)).then(renderDetail).catch(function (e) { message(String(e)); });
  }
  function applySnapshot(s) {
    state.jobs = s.jobs; renderJobs(s.jobs); renderPlan(s.plan); renderStats(s.stats);
    if (detailId) openDetail(detailId);
  }
  function refresh() {
    refreshTimer = null;
    Promise.all([getJson("/api/jobs"), getJson("/api/plan"), getJson("/api/stats")]).then(function (r) {
      applySnapshot({ jobs: r[0].jobs, plan: r[1], stats: r[2] });
    }).catch(function (e) { message(String(e)); });
  }
  function refreshSoon() { if (!refreshTimer) refreshTimer = setTimeout(refresh, 200); }
  function onEvents(frame) {
    var events = JSON.parse(frame.data).events;
    events.forEach(function (e) {
      if (e.topic === "ai_batch/item_progress" && e.data) {
        var bar = root.querySelector('tr.bq-job[data-job-id="' + CSS.escape(e.data.jobId) + '"] .bq-eta');
        if (bar && e.data.etaRemainingMs !== null && e.data.etaRemainingMs !== undefined) {
          bar.textContent = ms(e.data.etaRemainingMs); bar.setAttribute("data-eta-ms", e.data.etaRemainingMs);
        }
      }
    });
    refreshSoon();
  }
  function connect() {
    var source = new EventSource(base + "/api/events");
    source.addEventListener("open", function () { $("bq-connection").textContent = "live"; $("bq-connection").setAttribute("data-state", "open"); });
    source.addEventListener("error", function () { $("bq-connection").textContent = "reconnecting"; $("bq-connection").setAttribute("data-state", "closed"); });
    source.addEventListener("snapshot", function (frame) { applySnapshot(JSON.parse(frame.data)); });
    source.addEventListener("events", onEvents);
  }
  $("bq-detail-close").addEventListener("click", function () { detailId = null; $("bq-detail").classList.add("bq-hidden"); $("bq-detail").setAttribute("data-job-id", ""); });
  ["pause", "resume", "retry-failed", "purge-finished"].forEach(function (a) {
    $("bq-" + a).addEventListener("click", function () { post(a); });
  });
  $("bq-mode").textContent = actions ? "actions enabled" : "read-only";
  $("bq-mode").setAttribute("data-mode", actions ? "actions" : "read-only");
  if (!actions) { $("bq-global-actions").classList.add("bq-hidden"); }
  if (actions) { getJson("/api/session").then(function (s) { token = s.csrfToken; }).catch(function (e) { message(String(e)); }); }
  refresh();
  connect();
})();
