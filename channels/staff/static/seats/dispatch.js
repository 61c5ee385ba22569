/* 12345 dispatch page (派单台): the hotline office dispatches the tickets waiting in the manual
 * dispatch queue with the router's suggestion beside each.
 *
 * Uses the staff API only (/api/dispatch/queue, /api/tickets/{number}/dispatch, /api/departments)
 * with the seat's token; the token, the login form and the calls are staff.js's, shared with the
 * seat console. Texts arrive masked as the API returns them and are rendered with textContent.
 */
(function () {
  "use strict";

  var POLL_MS = 10000;
  var QUEUE_PAGE = 200;       // settings/staff_api.yml max_page_size
  var SOURCES = { catalogue: "部门目录", training: "训练诉求" };
  var $ = function (id) { return document.getElementById(id); };

  var session = HotlineStaff.session("/api", function (message) { signOut(message); });
  var api = session.api;
  var state = { me: null, tickets: [], total: 0, departments: [], selected: null, rows: [], timer: null, busy: false };

  /* ---------- small helpers ---------- */

  var el = HotlineStaff.el;
  function percent(confidence) {
    return typeof confidence === "number" ? Math.round(confidence * 100) + "%" : "—";
  }
  function when(iso) { return iso ? iso.replace("T", " ").slice(0, 16) : ""; }
  function banner(message, ok) { HotlineStaff.banner(message, ok, 8000); }
  function departmentName(id) {
    var found = state.departments.filter(function (d) { return d.id === id; })[0];
    return found ? found.name : id;
  }
  function ticketOf(number) {
    return state.tickets.filter(function (t) { return t.number === number; })[0] || null;
  }

  /* Where the ticket belongs (属地), or the place the lists lack. */
  function territoryText(s) {
    if (s.territory && s.territory.office) {
      return "属地：" + s.territory.office + (s.territory.matched ? "（" + s.territory.matched + "）" : "");
    }
    if (s.unknown_place) return "属地待定：" + s.unknown_place + " 不在地名库";
    return "属地：未识别";
  }
  function adviceText(s) {
    if (s.abstain) return "智能派单未给出建议，请人工派单";
    var text = "建议牵头：" + s.lead.name + "（置信度 " + percent(s.confidence) + "）";
    if (s.co_handlers.length) text += "；建议协办：" + s.co_handlers.map(function (d) { return d.name; }).join("、");
    return text;
  }

  /* ---------- signing in and out ---------- */

  function signIn(token) {
    session.token = token;
    return api("GET", "/me").then(function (me) {
      state.me = me;
      session.keep();
      $("seat-name").textContent = me.name;
      $("seat-role").textContent = me.role_label + (me.role === "seat" ? "" : "（不能派单）");
      $("whoami").hidden = false;
      $("login").hidden = true;
      $("board").hidden = false;
      loadDepartments();
      refreshQueue();
      clearInterval(state.timer);
      state.timer = setInterval(refreshQueue, POLL_MS);
    });
  }

  function signOut(message) {
    clearInterval(state.timer);
    session.forget();
    state.me = null; state.tickets = []; state.selected = null;
    $("whoami").hidden = true;
    $("board").hidden = true;
    $("summary").textContent = "";
    showNone();
    banner("");
    HotlineStaff.showLogin(message);
  }

  function loadDepartments() {
    return api("GET", "/departments").then(function (data) {
      state.departments = data.departments;
      var select = $("other-department");
      while (select.options.length > 1) select.remove(1);
      data.departments.forEach(function (d) {
        var option = el("option", null, d.name + (d.hotline ? "（" + d.hotline + "）" : ""));
        option.value = d.id;
        select.appendChild(option);
      });
    }, function (error) { banner("部门名录读取失败：" + error.message); });
  }

  /* ---------- the queue ---------- */

  function refreshQueue() {
    return api("GET", "/dispatch/queue?limit=" + QUEUE_PAGE).then(function (data) {
      state.tickets = data.tickets;
      state.total = data.total;
      renderQueue();
      if (state.selected && !ticketOf(state.selected)) {
        banner("工单 " + state.selected + " 已不在待派单队列（可能已由其他坐席派出）。");
        state.selected = null;
        showNone();
      }
    }, function (error) { banner("待派单队列读取失败：" + error.message); });
  }

  function renderQueue() {
    var list = $("queue-list"), kept = {};
    Array.prototype.forEach.call(list.children, function (node) { kept[node.getAttribute("data-key")] = node; });
    var nodes = state.tickets.map(function (t) {
      // A card that did not change is kept: one rebuilt under the pointer would swallow the click.
      var key = JSON.stringify([t.number, t.status, t.card, t.deadline, state.selected === t.number]);
      var node = kept[key] || card(t);
      node.setAttribute("data-key", key);
      return node;
    });
    list.textContent = "";
    nodes.forEach(function (node) { list.appendChild(node); });
    $("queue-count").textContent = state.total;
    $("queue-empty").hidden = state.tickets.length > 0;
    $("queue-more").hidden = state.total <= state.tickets.length;
    $("queue-more").textContent = "只显示最早的 " + state.tickets.length + " 张，共 " + state.total + " 张。";
    var abstained = state.tickets.filter(function (t) { return t.suggestion.abstain; }).length;
    $("summary").textContent = "待派单 " + state.total + " 张，其中智能派单未给出建议 " + abstained + " 张";
  }

  function card(t) {
    var s = t.suggestion;
    var item = el("li", "card ticket-card colour-" + (t.card || "none") + (state.selected === t.number ? " selected" : ""));
    item.setAttribute("data-number", t.number);
    item.tabIndex = 0;
    var top = el("div", "card-top");
    var head = el("span", "card-who");
    head.appendChild(el("span", "tag", t.type_label));
    head.appendChild(document.createTextNode(t.number));
    top.appendChild(head);
    top.appendChild(el("span", "card-deadline " + (t.card || ""), (t.card_label ? t.card_label + " · " : "") + "期限 " + t.deadline));
    item.appendChild(top);
    item.appendChild(el("p", "card-words", t.text));
    item.appendChild(el("p", "card-place" + (s.territory ? "" : " pending"), territoryText(s)));
    item.appendChild(el("p", "card-advice" + (s.abstain ? " abstain" : ""), adviceText(s)));
    if (t.status === "returned") {
      var reason = t.returned && t.returned.detail ? t.returned.detail.reason : "";
      item.appendChild(el("p", "card-returned", "退单" + (reason ? "：" + reason : "")));
    }
    item.addEventListener("click", function () { select(t.number); });
    item.addEventListener("keydown", function (e) { if (e.key === "Enter") select(t.number); });
    return item;
  }

  /* ---------- one ticket ---------- */

  function showNone() {
    $("detail").hidden = true;
    $("d-none").hidden = false;
  }

  function select(number) {
    var t = ticketOf(number);
    if (!t) return;
    state.selected = number;
    Array.prototype.forEach.call(document.querySelectorAll("#queue-list .card"), function (node) {
      node.classList.toggle("selected", node.getAttribute("data-number") === number);
    });
    renderDetail(t);
  }

  function renderDetail(t) {
    var s = t.suggestion;
    $("d-none").hidden = true;
    $("detail").hidden = false;
    $("d-title").textContent = t.type_label + "工单 " + t.number;
    $("d-meta").textContent = t.status_label + " · 受理 " + when(t.created_at) + " · 答复期限 " + t.deadline +
      (t.card_label ? "（" + t.card_label + "）" : "");
    $("d-text").textContent = t.text;
    var facts = $("d-facts");
    facts.textContent = "";
    var add = function (term, value) {
      if (!value) return;
      facts.appendChild(el("dt", null, term));
      facts.appendChild(el("dd", null, value));
    };
    add("地点", t.facts && t.facts.location);
    add("属地", territoryText(s).replace(/^属地：/, ""));
    var returned = $("d-returned");
    returned.hidden = !t.returned;
    if (t.returned) {
      returned.textContent = "退单：" + (t.returned.actor || "") + " " + when(t.returned.at) +
        (t.returned.detail && t.returned.detail.reason ? "，理由：" + t.returned.detail.reason : "");
    }
    var advice = $("d-advice");
    advice.textContent = adviceText(s) + (s.abstain && s.candidates.length ? "。以下三个候选部门供参考。" : "");
    advice.className = "d-advice" + (s.abstain ? " abstain" : "");
    renderWhy(s);
    renderChoices(s);
    $("d-note").value = "";
    $("dispatch-state").textContent = "";
    $("dispatch-state").className = "form-state";
    $("dispatch-submit").disabled = state.me.role !== "seat";
  }

  /* Why (依据): the duty matched, the most similar labelled requests, the place rule. */
  function renderWhy(s) {
    var list = $("why"), why = s.why || {};
    list.textContent = "";
    var lines = [];
    if (s.abstain && s.candidates.length && (why.duty || (why.similar || []).length)) {
      lines.push(["why-about", "以下依据对应第一候选：" + s.candidates[0].name]);
    }
    if (why.duty) lines.push(["why-duty", "依据职责：" + why.duty]);
    (why.similar || []).forEach(function (n) {
      var source = n.ticket ? "工单 " + n.ticket : (SOURCES[n.source] || n.source || "");
      var similarity = typeof n.similarity === "number" ? "，相似度 " + n.similarity.toFixed(2) : "";
      lines.push(["why-similar", "相似诉求：" + n.text + "（" + source + similarity + "）"]);
    });
    if (why.place) lines.push(["why-place", "属地依据：" + why.place]);
    if (!lines.length) lines.push(["why-none", "没有记录依据。"]);
    lines.forEach(function (line) { list.appendChild(el("li", line[0], line[1])); });
  }

  /* The candidates, the suggested co-handlers and any department added: one row each, with the
     lead (radio) and co-handler (checkbox) choices; the router's suggestion preselected. */
  function renderChoices(s) {
    state.rows = [];
    s.candidates.forEach(function (d) { state.rows.push({ id: d.id, name: d.name, confidence: d.confidence }); });
    s.co_handlers.forEach(function (d) {
      if (!rowOf(d.id)) state.rows.push({ id: d.id, name: d.name, confidence: null });
    });
    if (s.lead && !rowOf(s.lead.id)) state.rows.unshift({ id: s.lead.id, name: s.lead.name, confidence: s.confidence });
    var co = {};
    s.co_handlers.forEach(function (d) { co[d.id] = true; });
    var body = $("choices");
    body.textContent = "";
    state.rows.forEach(function (row) {
      body.appendChild(choiceRow(row, s.lead && s.lead.id === row.id, !!co[row.id], s));
    });
    syncChoices();
  }

  function rowOf(id) { return state.rows.filter(function (r) { return r.id === id; })[0]; }

  function choiceRow(row, lead, co, s) {
    var tr = el("tr");
    tr.setAttribute("data-department", row.id);
    var radio = el("input");
    radio.type = "radio"; radio.name = "lead"; radio.value = row.id; radio.id = "lead-" + row.id; radio.checked = lead;
    radio.setAttribute("aria-label", "牵头：" + row.name);
    radio.addEventListener("change", syncChoices);
    var box = el("input");
    box.type = "checkbox"; box.name = "co"; box.value = row.id; box.id = "co-" + row.id; box.checked = co;
    box.setAttribute("aria-label", "协办：" + row.name);
    var cell = function (child) { var td = el("td"); td.appendChild(child); return td; };
    tr.appendChild(cell(radio));
    tr.appendChild(cell(box));
    var name = el("label", "choice-name", row.name);
    name.htmlFor = "lead-" + row.id;
    var nameCell = cell(name);
    if (s && s.lead && s.lead.id === row.id) nameCell.appendChild(el("span", "tag lead-tag", "建议牵头"));
    if (co) nameCell.appendChild(el("span", "tag co-tag", "建议协办"));
    if (row.added) nameCell.appendChild(el("span", "tag added-tag", "人工加入"));
    tr.appendChild(nameCell);
    var conf = el("td", "confidence");
    if (typeof row.confidence === "number") {
      var bar = el("span", "bar");
      var fill = el("span", "bar-fill");
      fill.style.width = Math.max(1, Math.round(row.confidence * 100)) + "%";   // CSSOM: allowed by the CSP
      bar.appendChild(fill);
      conf.appendChild(bar);
      conf.appendChild(el("span", "bar-value", percent(row.confidence)));
    } else {
      conf.appendChild(el("span", "bar-value muted", "不在前三候选"));
    }
    tr.appendChild(conf);
    return tr;
  }

  /* The lead cannot co-handle its own ticket: its box is cleared and disabled. */
  function syncChoices() {
    var lead = chosenLead();
    Array.prototype.forEach.call(document.querySelectorAll("#choices input[name=co]"), function (box) {
      var isLead = box.value === lead;
      if (isLead) box.checked = false;
      box.disabled = isLead;
    });
  }

  function chosenLead() {
    var radio = document.querySelector("#choices input[name=lead]:checked");
    return radio ? radio.value : null;
  }

  function addDepartment() {
    var id = $("other-department").value;
    if (!id) return;
    var existing = $("lead-" + id);
    if (!existing) {
      var row = { id: id, name: departmentName(id), confidence: null, added: true };
      state.rows.push(row);
      $("choices").appendChild(choiceRow(row, false, false, null));
      existing = $("lead-" + id);
    }
    $("other-department").value = "";
    existing.focus();
    syncChoices();
  }

  /* ---------- dispatching ---------- */

  function dispatch() {
    var t = ticketOf(state.selected), out = $("dispatch-state");
    if (!t || state.busy) return;
    var lead = chosenLead();
    if (!lead) { out.textContent = "请先选择牵头单位"; out.className = "form-state error"; return; }
    var co = Array.prototype.filter.call(document.querySelectorAll("#choices input[name=co]:checked"),
                                         function (box) { return box.value !== lead; })
      .map(function (box) { return box.value; });
    var body = { department: lead, co_handlers: co };
    var note = $("d-note").value.trim();
    if (note) body.note = note;
    state.busy = true;
    $("dispatch-submit").disabled = true;
    out.textContent = "正在派单…";
    out.className = "form-state";
    api("POST", "/tickets/" + encodeURIComponent(t.number) + "/dispatch", body).then(function (done) {
      var coNames = (done.co_handlers || []).map(function (d) { return d.name; });
      banner("工单 " + done.number + " 已派单：牵头 " + (done.lead ? done.lead.name : done.department) +
             (coNames.length ? "，协办 " + coNames.join("、") : ""), true);
      state.tickets = state.tickets.filter(function (x) { return x.number !== t.number; });
      state.total = Math.max(0, state.total - 1);
      state.selected = null;
      showNone();
      renderQueue();
      return refreshQueue();
    }, function (error) {
      out.textContent = "没有派单：" + error.message;
      out.className = "form-state error";
      // Dispatched or changed meanwhile: the queue is read again; a ticket gone from it takes its
      // detail along, so the API's reason goes to the banner.
      if (error.status === 409 || error.status === 404) {
        return refreshQueue().then(function () {
          if (!ticketOf(t.number)) banner("工单 " + t.number + " 没有派单：" + error.message + "（已不在待派单队列）");
        });
      }
    }).then(function () {
      state.busy = false;
      $("dispatch-submit").disabled = !state.me || state.me.role !== "seat";
    });
  }

  /* ---------- wiring ---------- */

  function start() {
    $("logout").addEventListener("click", function () { signOut(""); });
    $("add-department").addEventListener("click", addDepartment);
    $("dispatch-form").addEventListener("submit", function (e) { e.preventDefault(); dispatch(); });
    HotlineStaff.startLogin(signIn, signOut);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
