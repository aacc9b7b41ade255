// The dashboard page: state from the REST snapshot and the event stream, the views (one tab per job state, a page
// per job at #/jobs/<id>), filters, selection and actions. Building blocks come from dashboard-view.js.
(function () {
  "use strict";
  var V = window.bqView, el = V.el, show = V.show, ms = V.ms, DASH = V.DASH;
  var root = document.getElementById("bq-root");
  var base = root.getAttribute("data-base");
  var actions = root.getAttribute("data-actions-enabled") === "true";
  var token = null, refreshTimer = null, selected = {};
  var state = { jobs: [], plan: { paused: false, running: [], plan: [], models: { residentModels: [], history: [] } }, stats: null, detail: null };
  // Each view has one ordering rule, so rows never change places while a job runs.
  var VIEWS = {
    all: { title: "enqueue order, oldest first", match: function () { return true; }, order: byCreated },
    queued: { title: "planned order: the next to run first", match: status("queued"), order: byPlan },
    running: { title: "start order", match: status("running"), order: byStarted },
    finished: { title: "finish order, newest first", match: status("completed"), order: byCompleted },
    failed: { title: "finish order, newest first", match: status("completedWithErrors"), order: byCompleted },
    cancelled: { title: "finish order, newest first", match: status("cancelled"), order: byCompleted }
  };
  function $(id) { return document.getElementById(id); }
  function enc(id) { return encodeURIComponent(id); }
  function status(s) { return function (job) { return job.status === s; }; }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function byCreated(a, b) { return cmp(a.createdAt || "", b.createdAt || "") || cmp(a.id, b.id); }
  function byStarted(a, b) { return cmp(a.startedAt || "", b.startedAt || "") || byCreated(a, b); }
  function byCompleted(a, b) { return cmp(b.completedAt || "", a.completedAt || "") || byCreated(a, b); }
  function byPlan(a, b) { return cmp(position(a.id), position(b.id)) || byCreated(a, b); }
  var positions = null; // planned position by job id, rebuilt with each plan so sorting stays linear in lookups
  function position(id) {
    if (!positions) { positions = {}; state.plan.plan.forEach(function (e) { positions[e.id] = e.position; }); }
    return positions[id] !== undefined ? positions[id] : 1e9;
  }
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
  function jobLink(id, text, cls) { return el("a", { href: "#/jobs/" + enc(id), "class": cls, "data-job-id": id, title: id }, text); }
  function progress(job) {
    var bar = el("div", { "class": "bq-progress", "data-done": job.done, "data-failed": job.failed,
      "data-skipped": job.skipped + job.cancelled, "data-total": job.total,
      title: job.done + " done, " + job.failed + " failed, " + (job.skipped + job.cancelled) + " skipped of " + job.total });
    [["done", job.done], ["failed", job.failed], ["skipped", job.skipped + job.cancelled], ["running", job.running]].forEach(function (p) {
      var s = el("span", { "class": "bq-seg-" + p[0] }); s.style.width = (job.total ? 100 * p[1] / job.total : 0) + "%"; bar.appendChild(s);
    });
    return bar;
  }
  function statusCell(tag, job) {
    // Paused: the running job finishes its current item and waits, so it is shown as paused, not as running.
    var paused = state.plan.paused && job.status === "running";
    var cell = el(tag, { "class": "bq-status bq-status-" + (paused ? "paused" : job.status), "data-paused": paused ? "true" : null });
    cell.appendChild(el("span", { "class": "bq-badge" }, paused ? "paused" : job.status));
    return cell;
  }
  function etaCell(job) {
    var active = job.status === "queued" || job.status === "running";
    if (active && state.plan.paused) return el("td", { "class": "bq-eta bq-eta-paused", title: "The queue is paused: no time passes for this job until it resumes" }, "paused");
    return el("td", { "class": "bq-eta", "data-eta-ms": active ? job.remainingMs : null }, active ? ms(job.remainingMs) : DASH);
  }
  // The planned job before this one: "after <id>" when the queue has no estimate of the work ahead yet.
  function previousInPlan(id) {
    var plan = state.plan.plan, i;
    for (i = 0; i < plan.length; i++) { if (plan[i].id === id) return i > 0 ? plan[i - 1].id : state.plan.running[0]; }
    return null;
  }
  function startCell(job) {
    if (job.status !== "queued") return V.time("td", "bq-start", job.startedAt);
    if (state.plan.paused) return el("td", { "class": "bq-start", title: "The queue is paused" }, "after resume");
    if (job.expectedStart) return V.time("td", "bq-start", job.expectedStart, { "data-expected-start": job.expectedStart });
    var before = previousInPlan(job.id);
    return el("td", { "class": "bq-start bq-start-unknown", title: "No estimate yet: a job ahead has no timed items of its model and operation" },
      before ? "after " + V.shortId(before) : DASH);
  }
  function visibleJobs() {
    var view = VIEWS[route().view] || VIEWS.all, model = $("bq-filter-model").value, op = $("bq-filter-operation").value;
    var text = $("bq-filter-text").value.trim().toLowerCase();
    return state.jobs.filter(function (job) {
      return view.match(job) && (!model || job.resourceKey === model) && (!op || job.operation === op)
        && (!text || [job.id, job.resourceKey, job.operation, job.status, job.priority, job.reorderNote || ""].join(" ").toLowerCase().indexOf(text) >= 0);
    }).sort(view.order);
  }
  function options(select, values) {
    var current = select.value;
    while (select.options.length > 1) select.remove(1);
    values.forEach(function (v) { select.appendChild(el("option", { value: v }, v)); });
    select.value = values.indexOf(current) >= 0 ? current : "";
  }
  function renderTabs() {
    var counts = { all: state.jobs.length };
    Object.keys(VIEWS).forEach(function (v) { if (v !== "all") counts[v] = state.jobs.filter(VIEWS[v].match).length; });
    root.querySelectorAll("[data-count]").forEach(function (c) { c.textContent = counts[c.getAttribute("data-count")]; });
    var view = route().view;
    root.querySelectorAll("#bq-tabs a").forEach(function (a) { a.classList.toggle("bq-current", a.getAttribute("data-view") === view); });
    $("bq-order-rule").textContent = "Order: " + (VIEWS[view] || VIEWS.all).title;
    var unique = function (key) { return state.jobs.map(function (j) { return j[key]; }).filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(); };
    options($("bq-filter-model"), unique("resourceKey")); options($("bq-filter-operation"), unique("operation"));
  }
  function renderJobs() {
    // A redraw would close a priority menu the user has open: wait until it loses focus.
    var open = root.querySelector("#bq-job-rows select:focus");
    if (open) {
      if (!open.bqWaiting) { open.bqWaiting = true; open.addEventListener("blur", function () { renderJobs(); }, { once: true }); }
      return;
    }
    renderTabs();
    var body = $("bq-job-rows"), jobs = visibleJobs(), ids = {};
    body.textContent = "";
    jobs.forEach(function (job) {
      ids[job.id] = true;
      var active = job.status === "queued" || job.status === "running";
      var row = el("tr", { "class": "bq-job", "data-job-id": job.id, "data-status": job.status, "data-model": job.resourceKey });
      var pick = el("input", { type: "checkbox", "class": "bq-select", "data-job-id": job.id, title: "Select for a bulk action" });
      pick.checked = !!selected[job.id];
      pick.addEventListener("change", function () { if (pick.checked) selected[job.id] = true; else delete selected[job.id]; renderSelection(); });
      var cell = el("td"); cell.appendChild(pick); row.appendChild(cell);
      cell = el("td", { "class": "bq-id" }); cell.appendChild(jobLink(job.id, V.shortId(job.id))); row.appendChild(cell);
      row.appendChild(el("td", { "class": "bq-model", title: job.resourceKey }, job.resourceKey));
      row.appendChild(el("td", { "class": "bq-operation", title: job.operation }, job.operation));
      row.appendChild(statusCell("td", job));
      cell = el("td"); cell.appendChild(progress(job)); row.appendChild(cell);
      row.appendChild(el("td", { "class": "bq-counts" }, job.done + " / " + job.failed + " / " + (job.skipped + job.cancelled) + " of " + job.total));
      row.appendChild(etaCell(job));
      row.appendChild(startCell(job));
      var buttons = el("td", { "class": "bq-actions" });
      buttons.appendChild(jobLink(job.id, "Details", "bq-details"));
      if (actions && job.status === "queued") {
        var select = el("select", { "class": "bq-action bq-action-priority", "data-action": "priority", "data-job-id": job.id });
        ["low", "normal", "high"].forEach(function (p) { var o = el("option", { value: p }, p); if (p === job.priority) o.selected = true; select.appendChild(o); });
        select.addEventListener("change", function () { post("jobs/" + enc(job.id) + "/priority", { priority: select.value }); });
        var pc = el("td", { "class": "bq-priority" }); pc.appendChild(select); row.appendChild(pc);
      } else {
        row.appendChild(el("td", { "class": "bq-priority" }, job.priority));
      }
      if (actions) {
        if (active) buttons.appendChild(button("Cancel", "cancel", "jobs/" + enc(job.id) + "/cancel", job.id));
        if (job.failed > 0 && !active) buttons.appendChild(button("Retry failed", "retry", "jobs/" + enc(job.id) + "/retry", job.id));
        if (job.status === "queued") buttons.appendChild(button("Move to front", "front", "jobs/" + enc(job.id) + "/front", job.id));
      }
      row.appendChild(buttons);
      body.appendChild(row);
    });
    Object.keys(selected).forEach(function (id) { if (!ids[id]) delete selected[id]; });
    show($("bq-empty"), jobs.length ? "" : state.jobs.length ? "No job matches this view and filter." : "No jobs in the queue.");
    renderSelection();
  }
  function renderSelection() {
    var ids = Object.keys(selected), shown = root.querySelectorAll("#bq-job-rows .bq-select");
    $("bq-selected-count").textContent = ids.length + " selected";
    root.querySelectorAll("#bq-bulk button").forEach(function (b) { b.disabled = !ids.length; });
    $("bq-select-all").checked = shown.length > 0 && ids.length === shown.length;
  }
  function bulk(action) {
    var ids = Object.keys(selected);
    post("bulk", { action: action, ids: ids, priority: $("bq-bulk-priority-value").value }).then(function (answer) {
      if (answer && answer.failed && answer.failed.length) {
        message(answer.failed.length + " of " + ids.length + " not done: " + answer.failed.map(function (f) { return V.shortId(f.id) + " " + f.error; }).join("; "));
      }
      selected = {}; renderJobs();
    });
  }
  function renderPlan(plan) {
    var paused = plan.paused;
    $("bq-queue-state").textContent = paused ? "paused" : "running";
    $("bq-queue-state").setAttribute("data-paused", String(paused));
    $("bq-pause").disabled = paused; $("bq-resume").disabled = !paused;
    var eta = $("bq-queue-eta"), active = plan.plan.length + plan.running.length;
    if (!active) { show(eta, "nothing queued"); eta.removeAttribute("title"); }
    else if (paused) { show(eta, "paused"); eta.removeAttribute("title"); }
    else if (!plan.expectedFinish) { show(eta, "not known yet"); eta.setAttribute("title", "A planned job has no timed items of its model and operation yet"); }
    else {
      var t = V.when(plan.expectedFinish);
      show(eta, t[0] + " (in " + ms(Math.max(0, Date.parse(plan.expectedFinish) - Date.now())) + ")"); eta.setAttribute("title", t[1]);
    }
    var list = $("bq-plan"); list.textContent = "";
    plan.plan.forEach(function (entry) {
      var li = el("li", { "class": "bq-plan-entry", "data-job-id": entry.id, "data-position": entry.position, "data-reordered": String(entry.reordered) });
      li.appendChild(jobLink(entry.id, V.shortId(entry.id), "bq-id"));
      li.appendChild(document.createTextNode(" " + V.visible(entry.resourceKey + " " + entry.operation + " (" + entry.items + " items, " + entry.priority + ") \u2013 starts ")));
      li.appendChild(entry.expectedStart && !paused ? V.time("span", "bq-plan-start", entry.expectedStart)
        : el("span", { "class": "bq-plan-start" }, paused ? "after resume" : "after " + V.shortId(previousInPlan(entry.id))));
      if (entry.reorderNote) li.appendChild(el("div", { "class": "bq-reorder-note bq-note", title: entry.reorderNote }, V.shortIds(entry.reorderNote)));
      list.appendChild(li);
    });
    renderSlots(plan.slots || []);
    renderNodes(plan.nodes || []);
    var models = plan.models;
    show($("bq-loaded-model"), models.loadedModel || "none");
    show($("bq-resident-models"), models.residentModels.length ? models.residentModels.join(", ") : "none");
    var loads = models.loads || {}, total = Object.keys(loads).reduce(function (s, k) { return s + loads[k]; }, 0);
    show($("bq-loads"), total ? "\u2013 " + total + (total === 1 ? " load" : " loads") + " since the dashboard started" : "");
    var timeline = $("bq-model-timeline"); timeline.textContent = ""; timeline.appendChild(V.residencyChart(models, Date.now()));
    var history = $("bq-model-history"); history.textContent = "";
    models.history.slice().reverse().forEach(function (e) {
      var li = el("li", { "class": "bq-model-event", "data-kind": e.kind, "data-model": e.resourceKey });
      li.appendChild(V.time("span", "bq-time", e.time));
      li.appendChild(document.createTextNode(" " + V.visible(e.kind.replace("_", " ") + ": " + (e.fromResourceKey ? e.fromResourceKey + " \u2192 " : "") + (e.resourceKey || "")
        + (e.reason ? " \u2013 " + V.shortIds(e.reason) : "") + (e.durationMs !== null ? " (" + ms(e.durationMs) + ")" : "") + (e.error ? " error: " + e.error : ""))));
      history.appendChild(li);
    });
  }
  function renderSlots(slots) {
    var rows = $("bq-slot-rows"); rows.textContent = "";
    $("bq-slots").classList.toggle("bq-hidden", !slots.length);
    $("bq-slots-empty").classList.toggle("bq-hidden", slots.length > 0);
    slots.forEach(function (s) {
      var row = el("tr", { "class": "bq-slot", "data-slot": s.id, "data-state": s.state });
      row.appendChild(el("td", { "class": "bq-slot-id" }, s.id));
      row.appendChild(el("td", { "class": "bq-slot-state" }, s.state));
      row.appendChild(el("td", { "class": "bq-slot-model" }, s.model || DASH));
      var job = el("td", { "class": "bq-slot-job" }, s.jobId ? null : DASH);
      if (s.jobId) job.appendChild(jobLink(s.jobId, V.shortId(s.jobId), "bq-id"));
      row.appendChild(job);
      row.appendChild(el("td", { "class": "bq-num bq-slot-items", "data-items": s.items }, String(s.items)));
      row.appendChild(el("td", { "class": "bq-num" }, String(s.failed)));
      row.appendChild(el("td", { "class": "bq-num" }, s.itemsPerSecond.toFixed(1)));
      row.appendChild(s.lastItemAt ? V.time("td", "bq-time", s.lastItemAt) : el("td", {}, DASH));
      row.appendChild(el("td", {}, s.residentModels.length ? s.residentModels.join(", ") : DASH));
      row.appendChild(el("td", {}, s.serves.length ? s.serves.join(", ") : DASH));
      rows.appendChild(row);
    });
  }
  function renderNodes(nodes) {
    var rows = $("bq-node-rows"); rows.textContent = "";
    $("bq-nodes-section").classList.toggle("bq-hidden", !nodes.length);
    nodes.forEach(function (n) {
      var row = el("tr", { "class": "bq-node", "data-node": n.node, "data-state": n.state });
      row.appendChild(el("td", { "class": "bq-node-id" }, V.visible(n.node)));
      row.appendChild(el("td", { "class": "bq-node-state" }, n.state));
      row.appendChild(el("td", { "class": "bq-num" }, ms(n.heartbeatAgeMs) + " ago"));
      row.appendChild(el("td", { "class": "bq-num" }, String(n.epoch)));
      row.appendChild(el("td", { "class": "bq-num bq-node-inflight" }, String(n.inFlight)));
      row.appendChild(el("td", { "class": "bq-node-slots" }, n.slots.length ? n.slots.map(function (s) {
        return V.visible(s.slot + (s.lanes > 1 ? " \u00d7" + s.lanes : "") + ": " + (s.holds.length ? "holds " + s.holds.join(", ") : "idle")
          + " (serves " + s.serves.join(", ") + ")");
      }).join("; ") : DASH));
      rows.appendChild(row);
    });
  }
  function renderStats(stats) {
    var box = $("bq-charts"); box.textContent = "";
    Object.keys(stats.models).forEach(function (model) {
      var m = stats.models[model], div = el("div", { "class": "bq-chart", "data-model": model });
      div.appendChild(el("div", { "class": "bq-chart-title" }, model));
      var last = m.throughput.length ? m.throughput[m.throughput.length - 1].itemsPerSecond.toFixed(2) + "\u00A0items/s" : DASH;
      div.appendChild(el("div", { "class": "bq-note" }, "Throughput per job: " + last));
      div.appendChild(V.lineChart(m.throughput, function (p) { return p.itemsPerSecond; }, "items per second", "bq-throughput", "#1d5fb4", 0,
        "No job of this model processed an item yet."));
      var acc = m.etaAccuracy.length ? m.etaAccuracy[m.etaAccuracy.length - 1].ratio.toFixed(2) : DASH;
      div.appendChild(el("div", { "class": "bq-note" }, "ETA predicted / actual (1 = exact): " + acc));
      div.appendChild(V.lineChart(m.etaAccuracy, function (p) { return p.ratio; }, "predicted / actual duration", "bq-eta-accuracy", "#c77c1e", 1,
        "No point yet: a job counts once it finishes, and only if the queue had an estimate when it started (a model's first job has none)."));
      box.appendChild(div);
    });
    if (!box.childNodes.length) box.appendChild(el("div", { "class": "bq-note" }, "No finished jobs seen yet: each model gets its charts when its first job ends."));
  }
  function renderDetail(job) {
    state.detail = job;
    var section = $("bq-detail");
    section.setAttribute("data-job-id", job.id); section.setAttribute("data-status", job.status);
    show($("bq-detail-title"), V.shortId(job.id) + " \u2013 " + job.resourceKey + " " + job.operation);
    var title = $("bq-detail-title"); title.appendChild(document.createTextNode(" "));
    title.appendChild(statusCell("span", job)); title.setAttribute("title", job.id);
    var times = $("bq-detail-times"); times.textContent = "";
    [["created", job.createdAt], ["started", job.startedAt], ["completed", job.completedAt]].forEach(function (t, i) {
      times.appendChild(document.createTextNode((i ? ", " : "") + t[0] + " ")); times.appendChild(V.time("span", "bq-time", t[1]));
    });
    times.appendChild(document.createTextNode(V.visible("; id " + job.id + ", priority " + job.priority + (job.reorderNote ? " \u2013 " + V.shortIds(job.reorderNote) : ""))));
    var bar = $("bq-detail-actions"), active = job.status === "queued" || job.status === "running"; bar.textContent = "";
    if (actions) {
      if (active) bar.appendChild(button("Cancel job", "cancel", "jobs/" + enc(job.id) + "/cancel", job.id));
      if (job.failed > 0 && !active) bar.appendChild(button("Retry failed items", "retry", "jobs/" + enc(job.id) + "/retry", job.id));
      if (job.status === "queued") bar.appendChild(button("Move to front", "front", "jobs/" + enc(job.id) + "/front", job.id));
    }
    var body = $("bq-item-rows"); body.textContent = "";
    job.items.forEach(function (item) {
      var row = el("tr", { "class": "bq-item", "data-item-id": item.id, "data-status": item.status });
      row.appendChild(el("td", { title: item.data || "" }, item.id));
      row.appendChild(el("td", { "class": "bq-status bq-status-" + item.status }, item.status));
      // Handler calls since enqueue or the last retryFailed: 0 for an item that never reached the handler.
      var attempts = item.attempts || 0;
      row.appendChild(el("td", { "class": "bq-attempts", "data-attempts": attempts }, String(attempts)));
      row.appendChild(el("td", { "class": "bq-duration", "data-duration-ms": item.durationMs }, ms(item.durationMs)));
      var ran = attempts > 0 || item.status === "completed" || item.status === "failed";
      row.appendChild(el("td", { "class": "bq-item-model" }, ran ? item.model || job.resourceKey : DASH));
      var out = el("td", { "class": "bq-output" }); out.appendChild(el("pre", null, item.output || "")); row.appendChild(out);
      var error = el("td", { "class": "bq-error" }, item.error || "");
      (item.earlierErrors || []).forEach(function (e) {
        var earlier = el("div", { "class": "bq-earlier-error bq-note" }, (e.attempt ? "attempt " + e.attempt + ": " : "earlier: ") + e.error);
        earlier.insertBefore(V.time("span", "bq-time", e.time), earlier.firstChild);
        earlier.insertBefore(document.createTextNode(" "), earlier.childNodes[1]);
        error.appendChild(earlier);
      });
      row.appendChild(error);
      row.appendChild(V.time("td", "bq-item-started", item.startedAt));
      row.appendChild(V.time("td", "bq-item-finished", item.finishedAt));
      var cell = el("td");
      if (actions && (item.status === "pending" || item.status === "running")) {
        cell.appendChild(button("Cancel", "cancel-item", "jobs/" + enc(job.id) + "/items/" + enc(item.id) + "/cancel", job.id, item.id));
      }
      row.appendChild(cell);
      body.appendChild(row);
    });
  }
  // Routes: #/ (all jobs), #/queued, #/running, #/finished, #/failed, #/cancelled, #/jobs/<id> (one job's page).
  function route() {
    var hash = location.hash.replace(/^#\/?/, "");
    if (hash.indexOf("jobs/") === 0) return { view: "job", jobId: decodeURIComponent(hash.slice(5)) };
    return { view: VIEWS[hash] ? hash : "all" };
  }
  function showRoute() {
    var r = route(), detail = r.view === "job";
    $("bq-list").classList.toggle("bq-hidden", detail);
    $("bq-detail").classList.toggle("bq-hidden", !detail);
    if (detail) {
      getJson("/api/jobs/" + enc(r.jobId)).then(function (job) { if (route().jobId === job.id) renderDetail(job); })
        .catch(function (e) { message(String(e)); });
    } else {
      $("bq-detail").setAttribute("data-job-id", ""); renderJobs();
    }
  }
  function applySnapshot(s) {
    state.jobs = s.jobs; state.plan = s.plan; state.stats = s.stats; positions = null;
    renderPlan(s.plan); renderJobs(); renderStats(s.stats);
    if (route().view === "job") showRoute();
  }
  function refresh() {
    refreshTimer = null;
    Promise.all([getJson("/api/jobs"), getJson("/api/plan"), getJson("/api/stats")]).then(function (r) {
      applySnapshot({ jobs: r[0].jobs, plan: r[1], stats: r[2] });
    }).catch(function (e) { message(String(e)); });
  }
  function refreshSoon() { if (!refreshTimer) refreshTimer = setTimeout(refresh, 200); }
  function onEvents(frame) {
    JSON.parse(frame.data).events.forEach(function (e) {
      if (e.topic === "ai_batch/item_progress" && e.data && !state.plan.paused) {
        var cell = root.querySelector('tr.bq-job[data-job-id="' + CSS.escape(e.data.jobId) + '"] .bq-eta');
        if (cell && e.data.etaRemainingMs !== null && e.data.etaRemainingMs !== undefined) {
          cell.textContent = ms(e.data.etaRemainingMs); cell.setAttribute("data-eta-ms", e.data.etaRemainingMs);
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
  window.addEventListener("hashchange", function () { message(""); showRoute(); window.scrollTo(0, 0); });
  ["bq-filter-model", "bq-filter-operation"].forEach(function (id) { $(id).addEventListener("change", renderJobs); });
  $("bq-filter-text").addEventListener("input", renderJobs);
  $("bq-select-all").addEventListener("change", function () {
    var on = $("bq-select-all").checked;
    root.querySelectorAll("#bq-job-rows .bq-select").forEach(function (c) { var id = c.getAttribute("data-job-id"); if (on) selected[id] = true; else delete selected[id]; c.checked = on; });
    renderSelection();
  });
  root.querySelectorAll("#bq-bulk [data-bulk]").forEach(function (b) { b.addEventListener("click", function () { bulk(b.getAttribute("data-bulk")); }); });
  ["pause", "resume", "retry-failed", "purge-finished"].forEach(function (a) {
    $("bq-" + a).addEventListener("click", function () { post(a); });
  });
  $("bq-mode").textContent = actions ? "actions enabled" : "read-only";
  $("bq-mode").setAttribute("data-mode", actions ? "actions" : "read-only");
  if (!actions) { $("bq-global-actions").classList.add("bq-hidden"); $("bq-bulk").classList.add("bq-hidden"); root.classList.add("bq-read-only"); }
  if (actions) { getJson("/api/session").then(function (s) { token = s.csrfToken; }).catch(function (e) { message(String(e)); }); }
  showRoute();
  refresh();
  connect();
})();
