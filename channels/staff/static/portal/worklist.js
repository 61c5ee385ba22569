/* 承办人工作台 (a department's work list) and 全部工单 (the same list, read only, for the hotline
 * office, seats and leaders) in the staff portal.
 *
 * Left: the tickets as cards coloured by their warning card (红牌 overdue first, then 黄牌, then by
 * deadline), with the deadline and the time left. Right: the chosen ticket — text, facts, who
 * handles it, its history — and for a department's handler the operations of its part: each
 * with the rule it follows, disabled with the reason when the rule does not allow it now. Those
 * come from the server (GET /api/tickets/{number} "actions", bot/tickets/handler_actions.py),
 * which checks every operation again when it is performed; its refusals show in the banner.
 * Texts arrive masked for the role and are only ever set with textContent.
 */
(function () {
  "use strict";

  var PAGE = 200;   // settings/staff_api.yml max_page_size
  var SEVERITY = { red: 0, yellow: 1, green: 2 };
  var STATUS_CHOICES = {
    handler: [["dispatched,in_progress,reopened", "待办：待签收、办理中、重办"], ["dispatched", "待签收"],
              ["in_progress", "办理中"], ["reopened", "重办"], ["replied", "已答复"], ["closed", "已办结"], ["", "全部"]],
    office: [["accepted,dispatched,in_progress,returned,reopened,replied", "未办结"], ["accepted", "已受理（待派单）"],
             ["dispatched", "已派单"], ["in_progress", "办理中"], ["returned", "退单"], ["reopened", "重办"],
             ["replied", "已答复"], ["closed", "已办结"], ["", "全部"]]
  };
  var CARD_CHOICES = [["", "全部预警牌"], ["red", "红牌（已超期）"], ["yellow", "黄牌（临近期限）"], ["green", "绿牌"]];
  var FACT_LABELS = { description: "诉求描述", location: "地点", event_time: "发生时间", involved_party: "涉及对象",
                      category: "类别", source: "来源" };
  var ACTION_LABELS = {
    opened: "受理", imported: "导入", dispatch: "派单", accept: "签收", reassign: "改派", extend: "延期",
    extend_request: "申请延期", extend_refused: "不同意延期", "return": "申请退单", return_approved: "同意退单",
    return_refused: "不同意退单", reply: "答复", close: "办结", rate: "评价", assist: "协办意见",
    supervise: "督办", urge: "催办", escalate: "升级督办", unsupervise: "解除督办", follow_up: "补充情况"
  };
  var ACTORS = { assistant: "智能助手", system: "系统" };
  // What each history entry's detail says, in this order, under these names.
  var DETAIL_FIELDS = [["department", "部门"], ["days", "天数"], ["reason", "理由"], ["answer", "答复"],
                       ["opinion", "意见"], ["note", "说明"], ["text", "内容"], ["level_label", "级别"],
                       ["rating", "评价"], ["from", "原期限"], ["to", "新期限"]];

  /* ---------- time ---------- */

  // A deadline is a date: the department answers by the end of that day, Beijing time.
  function deadlineEnd(day) { return new Date(day + "T23:59:59+08:00"); }
  function shortDay(day) { var p = (day || "").split("-"); return p.length === 3 ? (+p[1]) + "月" + (+p[2]) + "日" : day; }
  function when(iso) { return iso ? iso.replace("T", " ").slice(0, 16) : ""; }

  function timeLeft(ticket) {
    if (ticket.status === "closed") return "已办结";
    if (ticket.status === "replied") return "已答复，等待办结";
    if (ticket.status === "accepted" || ticket.status === "returned") return "等待派单";
    var ms = deadlineEnd(ticket.deadline) - Date.now();
    var hours = Math.floor(Math.abs(ms) / 3600000), days = Math.floor(hours / 24);
    var span = days ? days + "天" + (hours % 24 ? (hours % 24) + "小时" : "") : Math.max(hours, 1) + "小时";
    return ms >= 0 ? "剩余 " + span : "已超期 " + span;
  }

  /* ---------- the list ---------- */

  function query(state) {
    var parts = ["limit=" + PAGE];
    if (state.status) parts.push("status=" + encodeURIComponent(state.status));
    if (state.card) parts.push("card=" + encodeURIComponent(state.card));
    if (state.department) parts.push("department=" + encodeURIComponent(state.department));
    return "/tickets?" + parts.join("&");
  }

  function ordered(tickets) {
    return tickets.slice().sort(function (a, b) {
      var sa = a.card ? SEVERITY[a.card] : 3, sb = b.card ? SEVERITY[b.card] : 3;
      return sa - sb || (a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : 0);
    });
  }

  function cardNode(ctx, ticket, selected, open) {
    var el = ctx.el, colour = ticket.card || "none";
    var part = ticket.your_part === "co" ? el("span", { class: "wl-part" }, "协办") : null;
    return el("li", {}, el("button", {
      type: "button", class: "wl-card wl-" + colour + (selected ? " selected" : ""),
      "data-number": ticket.number, "data-card": colour, "aria-pressed": selected ? "true" : "false",
      onclick: function () { open(ticket.number); }
    }, [
      el("span", { class: "wl-card-top" }, [
        el("span", { class: "wl-badge wl-badge-" + colour }, ticket.card_label || ticket.status_label),
        el("span", { class: "wl-number" }, ticket.number),
        el("span", { class: "wl-type" }, ticket.type_label), part,
        el("span", { class: "wl-status" }, ticket.status_label)
      ]),
      el("span", { class: "wl-text" }, ticket.text || ""),
      el("span", { class: "wl-card-bottom" }, [
        el("span", { class: "wl-deadline" }, "期限 " + shortDay(ticket.deadline)),
        el("span", { class: "wl-left" }, timeLeft(ticket)),
        ticket.department && ticket.your_part === undefined ? el("span", { class: "wl-dept" }, ticket.department) : null
      ])
    ]));
  }

  function summary(tickets, total) {
    var count = { red: 0, yellow: 0, green: 0 };
    tickets.forEach(function (t) { if (count[t.card] !== undefined) count[t.card] += 1; });
    var text = "共 " + total + " 张：红牌 " + count.red + "，黄牌 " + count.yellow + "，绿牌 " + count.green;
    return total > tickets.length ? text + "（只显示前 " + tickets.length + " 张，请用筛选缩小范围）" : text;
  }

  /* ---------- the chosen ticket ---------- */

  function factsNode(ctx, ticket) {
    var el = ctx.el, rows = [];
    var contact = ticket.contact || {};
    rows.push(["联系人", (contact.name || "—") + (contact.phone ? "　" + contact.phone : "")]);
    rows.push(["受理时间", when(ticket.created_at)]);
    rows.push(["办理期限", ticket.deadline + (ticket.extended_days ? "（已延期 " + ticket.extended_days + " 个工作日）" : "")]);
    Object.keys(ticket.facts || {}).forEach(function (key) {
      var value = ticket.facts[key];
      if (value === null || value === undefined || value === "" || typeof value === "object") return;
      rows.push([FACT_LABELS[key] || key, String(value)]);
    });
    var lead = ticket.lead ? ticket.lead.name : "待派单";
    var co = (ticket.co_handlers || []).map(function (d) { return d.name; }).join("、");
    rows.push(["承办单位", "牵头：" + lead + (co ? "；协办：" + co : "")]);
    if (ticket.answer) rows.push(["答复", ticket.answer]);
    var dl = el("dl", { class: "wl-facts", id: "wl-facts" });
    rows.forEach(function (r) { dl.appendChild(el("dt", {}, r[0])); dl.appendChild(el("dd", {}, r[1])); });
    return dl;
  }

  /* What the office has said about the ticket (督办, 催办) and what waits for its review. */
  function noticesNode(ctx, ticket) {
    var el = ctx.el, items = [];
    if (ticket.supervised && ticket.supervision) {
      items.push("热线办督办" + (ticket.supervision.level_label ? "（" + ticket.supervision.level_label + "）" : "") +
                 "：" + (ticket.supervision.reason || ""));
    }
    (ticket.urgings || []).forEach(function (u) { items.push("催办（" + when(u.at) + "）：" + (u.text || "")); });
    if (ticket.pending_extension) {
      items.push("已申请延期 " + ticket.pending_extension.days + " 个工作日，等待热线办审核：" + (ticket.pending_extension.reason || ""));
    }
    if (ticket.pending_return) items.push("已申请退单，等待热线办审核：" + (ticket.pending_return.reason || ""));
    if (!items.length) return null;
    return el("ul", { class: "wl-notices", id: "wl-notices" }, items.map(function (t) { return el("li", {}, t); }));
  }

  function historyNode(ctx, ticket) {
    var el = ctx.el;
    var list = el("ol", { class: "wl-history", id: "wl-history" });
    (ticket.history || []).forEach(function (e) {
      var detail = e.detail || {};
      var said = DETAIL_FIELDS.filter(function (f) {
        var v = detail[f[0]];
        return v !== undefined && v !== null && v !== "" && typeof v !== "object";
      }).map(function (f) { return f[1] + "：" + detail[f[0]]; }).join("；");
      list.appendChild(el("li", {}, [
        el("span", { class: "wl-h-at" }, when(e.at)),
        el("span", { class: "wl-h-action" }, ACTION_LABELS[e.action] || e.action),
        el("span", { class: "wl-h-actor" }, ACTORS[e.actor] || e.actor),
        said ? el("span", { class: "wl-h-detail" }, said) : null
      ]));
    });
    return list;
  }

  /* ---------- the department's operations ---------- */

  // The body each operation needs: [field, label, kind] (text areas unless "days").
  var FORMS = {
    accept: [],
    reply: [["answer", "答复内容（将告知市民）", "text"]],
    "return": [["reason", "退单理由（为何不属于本单位职责，依据是什么）", "text"]],
    extend: [["days", "延期天数（工作日）", "days"], ["reason", "延期理由", "text"]],
    assist: [["opinion", "协办意见（供牵头单位答复时采用）", "text"]]
  };
  var DONE = { accept: "已签收", reply: "已答复，等待热线办办结", "return": "退单申请已提交，等待热线办审核",
               extend: "延期申请已提交，等待热线办审核", assist: "协办意见已报送" };

  function formNode(ctx, ticket, action, done) {
    var el = ctx.el, fields = FORMS[action.operation] || [];
    var form = el("form", { class: "wl-form", id: "wl-form-" + action.operation, autocomplete: "off" });
    var inputs = {};
    fields.forEach(function (f) {
      var id = "wl-" + action.operation + "-" + f[0];
      form.appendChild(el("label", { for: id }, f[1] + (f[2] === "days" ? "，最多 " + action.max_days + " 个" : "")));
      inputs[f[0]] = f[2] === "days"
        ? el("input", { id: id, type: "number", min: 1, max: action.max_days, step: 1, required: true, value: 1 })
        : el("textarea", { id: id, rows: 3, maxlength: 2000, required: true });
      form.appendChild(inputs[f[0]]);
    });
    var submit = el("button", { type: "submit", class: "btn-primary", id: "wl-submit-" + action.operation },
                    "确认" + action.label);
    form.appendChild(submit);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = {};
      Object.keys(inputs).forEach(function (k) {
        body[k] = k === "days" ? parseInt(inputs[k].value, 10) : inputs[k].value.trim();
      });
      submit.disabled = true;
      ctx.api("POST", "/tickets/" + encodeURIComponent(ticket.number) + "/" + action.operation, body)
        .then(function (updated) { done(updated, DONE[action.operation] || "已完成"); },
              function (error) { ctx.banner(error.message); submit.disabled = false; });
    });
    return form;
  }

  function actionNode(ctx, ticket, action, done) {
    var el = ctx.el;
    var box = el("div", { class: "wl-action" + (action.allowed ? "" : " not-allowed"), id: "wl-action-" + action.operation });
    var holder = el("div", { class: "wl-form-holder" });
    var button = el("button", {
      type: "button", id: "wl-do-" + action.operation, disabled: !action.allowed,
      class: action.operation === "return" ? "btn-warn" : action.operation === "accept" || action.operation === "reply"
        ? "btn-primary" : "btn-secondary",
      title: action.allowed ? action.rule : action.reason,
      onclick: function () {
        if (holder.firstChild) { holder.textContent = ""; return; }
        holder.appendChild(formNode(ctx, ticket, action, done));
        var first = holder.querySelector("textarea, input, button[type=submit]");
        if (first) first.focus();
      }
    }, action.label);
    box.appendChild(el("div", { class: "wl-action-head" }, [button,
      el("p", { class: "wl-rule" }, [el("strong", {}, "规则："), action.rule])]));
    if (!action.allowed) box.appendChild(el("p", { class: "wl-why-not" }, "现在不能" + action.label + "：" + action.reason));
    box.appendChild(holder);
    return box;
  }

  function actionsNode(ctx, ticket, done) {
    var el = ctx.el;
    if (!ticket.actions) return null;   // not a department: the list is read only
    var section = el("section", { class: "wl-actions", id: "wl-actions", "aria-label": "办理" },
                     [el("h3", {}, "办理（" + (ticket.your_part_label || "") + "单位）")]);
    if (!ticket.actions.length) section.appendChild(el("p", { class: "wl-muted" }, "本单位对这张工单没有可做的操作。"));
    ticket.actions.forEach(function (a) { section.appendChild(actionNode(ctx, ticket, a, done)); });
    return section;
  }

  function detailNode(ctx, ticket, done) {
    var el = ctx.el, colour = ticket.card || "none";
    return el("article", { class: "wl-detail-body wl-detail-" + colour, "data-number": ticket.number }, [
      el("header", { class: "wl-detail-head" }, [
        el("h2", { id: "wl-title" }, "工单 " + ticket.number),
        el("span", { class: "wl-badge wl-badge-" + colour }, ticket.card_label || "无预警"),
        el("span", { class: "wl-meta", id: "wl-meta" },
           ticket.type_label + " · " + ticket.status_label + " · 期限 " + ticket.deadline + " · " + timeLeft(ticket))
      ]),
      noticesNode(ctx, ticket),
      el("p", { class: "wl-body-text", id: "wl-text" }, ticket.text || ""),
      factsNode(ctx, ticket),
      actionsNode(ctx, ticket, done),
      el("h3", {}, "办理记录"),
      historyNode(ctx, ticket)
    ]);
  }

  /* ---------- the panel ---------- */

  function filterBar(ctx, state, reload, departments) {
    var el = ctx.el;
    function select(id, label, choices, key) {
      var node = el("select", { id: id, onchange: function () { state[key] = node.value; reload(); } },
        choices.map(function (c) { return el("option", { value: c[0], selected: state[key] === c[0] }, c[1]); }));
      return el("label", { class: "wl-filter" }, [label, node]);
    }
    var bar = el("div", { class: "wl-filters" }, [
      select("wl-status", "状态", STATUS_CHOICES[state.mode], "status"),
      select("wl-card-filter", "预警", CARD_CHOICES, "card")
    ]);
    if (departments) {
      bar.appendChild(select("wl-department", "承办单位",
        [["", "全部单位"]].concat(departments.map(function (d) { return [d.id, d.name]; })), "department"));
    }
    bar.appendChild(el("button", { type: "button", class: "btn-secondary", id: "wl-refresh", onclick: reload }, "刷新"));
    return bar;
  }

  function render(container, ctx, mode) {
    var el = ctx.el;
    var state = { mode: mode, status: STATUS_CHOICES[mode][0][0], card: "", department: "", selected: null, tickets: [] };
    var list = el("ol", { class: "wl-cards", id: "wl-cards" });
    var count = el("p", { class: "wl-summary", id: "wl-summary", "aria-live": "polite" }, "加载中……");
    var detail = el("div", { class: "wl-detail", id: "wl-detail" },
                    el("p", { class: "wl-muted wl-hint" }, "请从左侧选择一张工单查看详情" + (mode === "handler" ? "并办理" : "")));
    var filters = el("div", { class: "wl-filter-holder" });
    var heading = mode === "handler"
      ? "承办人工作台 · " + (ctx.me.department || "") : "全部工单（只读）";

    function showList() {
      list.textContent = "";
      ordered(state.tickets).forEach(function (t) { list.appendChild(cardNode(ctx, t, t.number === state.selected, open)); });
      if (!state.tickets.length) list.appendChild(el("li", { class: "wl-muted wl-empty" }, "没有符合条件的工单。"));
    }

    function reload() {
      return ctx.api("GET", query(state)).then(function (data) {
        state.tickets = data.tickets;
        count.textContent = summary(data.tickets, data.total);
        showList();
      }, function (error) { count.textContent = ""; ctx.banner(error.message); });
    }

    function done(updated, message) {
      ctx.banner("工单 " + updated.number + " " + message, "ok");
      showDetail(updated);
      reload();
    }

    function showDetail(ticket) {
      detail.textContent = "";
      detail.appendChild(detailNode(ctx, ticket, done));
      detail.scrollTop = 0;
    }

    function open(number) {
      state.selected = number;
      showList();
      ctx.api("GET", "/tickets/" + encodeURIComponent(number)).then(showDetail, function (error) { ctx.banner(error.message); });
    }

    container.appendChild(el("div", { class: "wl" }, [
      el("section", { class: "wl-list", "aria-label": "工单列表" }, [
        el("h2", { class: "wl-heading" }, heading), filters, count, list]),
      detail
    ]));
    if (mode === "office") {
      ctx.api("GET", "/departments").then(function (data) {
        filters.appendChild(filterBar(ctx, state, reload, data.departments));
      }, function () { filters.appendChild(filterBar(ctx, state, reload, null)); });
    } else {
      filters.appendChild(filterBar(ctx, state, reload, null));
    }
    reload();
  }

  // order 5: a handler's daily work, so the page it opens on.
  Portal.register({ id: "worklist", title: "承办人工作台", roles: ["handler"], order: 5,
    render: function (container, ctx) { render(container, ctx, "handler"); } });
  Portal.register({ id: "tickets", title: "全部工单", roles: ["office", "seat", "readonly"], order: 60,
    render: function (container, ctx) { render(container, ctx, "office"); } });
})();
