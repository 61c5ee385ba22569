/* 督办与审核: the hotline office's desk in the staff portal (office role).
 *
 * Five lists, one tab each with its count:
 *   待派单      tickets waiting for a dispatch (GET /api/dispatch/queue): the router's suggestion and
 *               its runner-up with their confidences and why, a returned ticket's reason; dispatch
 *               to either or to any department of the catalogue;
 *   退单审核    returns the departments asked for: approve (back to 待派单) or refuse, with a reason;
 *   延期审核    extension requests: approve (the deadline moves) or refuse, with a reason;
 *   红牌未督办  overdue tickets nobody supervises: supervise, urge, reassign (改派);
 *   督办中      supervised tickets: urge, escalate (red cards only), lift, reassign.
 * The four review and supervision lists come from GET /api/supervision. Every action needs the
 * text in the card's box (reason, urging text or note); the server checks every rule again and
 * its refusals show in the banner. Texts are set with textContent only (CSP: no inline code).
 */
(function () {
  "use strict";

  var QUEUE_PAGE = 200;     // settings/staff_api.yml max_page_size
  var TABS = [
    { id: "dispatch", title: "待派单" },
    { id: "returns", title: "退单审核" },
    { id: "extension_requests", title: "延期审核" },
    { id: "red_unsupervised", title: "红牌未督办" },
    { id: "supervised", title: "督办中" }
  ];
  var EMPTY = {
    dispatch: "没有等待派单的工单。", returns: "没有待审核的退单申请。", extension_requests: "没有待审核的延期申请。",
    red_unsupervised: "没有未督办的红牌工单。", supervised: "没有督办中的工单。"
  };

  function percent(value) { return typeof value === "number" ? Math.round(value * 100) + "%" : "—"; }
  function when(iso) { return iso ? iso.replace("T", " ").slice(0, 16) : ""; }

  /* The suggestion's lead and runner-up: for an abstention its two best candidates. */
  function twoBest(s) {
    var candidates = (s && s.candidates) || [];
    if (!s || s.abstain || !s.lead) return { lead: candidates[0] || null, runner: candidates[1] || null, abstain: true };
    var lead = candidates.filter(function (c) { return c.id === s.lead.id; })[0] || s.lead;
    var runner = candidates.filter(function (c) { return c.id !== s.lead.id; })[0] || null;
    return { lead: lead, runner: runner, abstain: false };
  }

  function render(container, ctx) {
    var el = ctx.el;
    // drafts: what was typed in each card's box, kept when the lists are drawn again.
    var state = { tab: "dispatch", data: null, departments: [], drafts: {} };
    var tabBar = el("div", { class: "office-tabs", role: "tablist", "aria-label": "督办与审核" });
    var list = el("div", { class: "office-list", id: "office-list", "aria-live": "polite" });
    container.appendChild(el("div", { class: "office-head" }, [
      el("h2", { class: "office-title" }, "督办与审核"),
      el("p", { class: "office-hint" }, "退单、延期由热线办审核；红牌（超期）工单可督办、催办并升级督办。每项操作都须填写意见，记入工单历史。"),
      el("button", { type: "button", class: "btn-secondary office-reload", id: "office-reload", onclick: load }, "刷新")
    ]));
    container.appendChild(tabBar);
    container.appendChild(list);

    function counts() {
      var d = state.data || {};
      return { dispatch: d.queueTotal, returns: (d.returns || []).length,
               extension_requests: (d.extension_requests || []).length,
               red_unsupervised: (d.red_unsupervised || []).length, supervised: (d.supervised || []).length };
    }

    function drawTabs() {
      var n = counts();
      tabBar.textContent = "";
      TABS.forEach(function (tab) {
        var on = tab.id === state.tab;
        tabBar.appendChild(el("button", { type: "button", role: "tab", id: "office-tab-" + tab.id,
          class: "office-tab" + (on ? " active" : "") + (n[tab.id] ? " has" : ""), "aria-selected": on ? "true" : "false",
          onclick: function () { state.tab = tab.id; drawTabs(); drawList(); } },
          [tab.title, el("span", { class: "office-count" }, n[tab.id] === undefined ? "…" : String(n[tab.id]))]));
      });
    }

    function drawList() {
      list.textContent = "";
      if (!state.data) { list.appendChild(el("p", { class: "office-empty" }, "正在加载…")); return; }
      var tickets = state.tab === "dispatch" ? state.data.queue : state.data[state.tab];
      if (!tickets.length) { list.appendChild(el("p", { class: "office-empty" }, EMPTY[state.tab])); return; }
      tickets.forEach(function (t) { list.appendChild(card(t)); });
    }

    /* ---------- one ticket ---------- */

    function card(t) {
      var key = state.tab + ":" + t.number;
      var box = el("textarea", { class: "office-reason", id: "reason-" + t.number, rows: 2, maxlength: 4000,
                                 "aria-label": "工单 " + t.number + " 的意见", placeholder: placeholder(),
                                 oninput: function () { state.drafts[key] = box.value; } });
      box.value = state.drafts[key] || "";
      var colour = t.card || "none";
      return el("article", { class: "office-card card-" + colour, id: "office-" + t.number, "data-number": t.number }, [
        el("header", { class: "office-card-head" }, [
          el("span", { class: "office-number" }, t.number),
          el("span", { class: "office-badge badge-" + colour }, t.card_label || t.status_label),
          el("span", { class: "office-type" }, t.type_label),
          el("span", { class: "office-status" }, t.status_label),
          el("span", { class: "office-dept" }, handledBy(t)),
          el("span", { class: "office-deadline" }, "期限 " + t.deadline + (t.extended_days ? "（已延期" + t.extended_days + "个工作日）" : ""))
        ]),
        el("p", { class: "office-text" }, t.text),
        details(t),
        el("div", { class: "office-actions" }, [box, el("div", { class: "office-buttons" }, buttons(t, box))])
      ]);
    }

    /* A ticket waiting for dispatch names no department yet (the router's choice is only a suggestion). */
    function handledBy(t) {
      if (t.status === "accepted" || t.status === "returned" || !t.department) return "待派单";
      return "承办：" + t.department;
    }

    function placeholder() {
      return { dispatch: "派单说明（可不填）", returns: "审核意见（必填）", extension_requests: "审核意见（必填）",
               red_unsupervised: "督办事由、催办内容或改派理由（必填）",
               supervised: "催办内容、升级理由、解除说明或改派理由（必填）" }[state.tab];
    }

    function line(label, text, cls) {
      return el("p", { class: "office-line" + (cls ? " " + cls : "") }, [el("b", {}, label + "："), text]);
    }

    function details(t) {
      var rows = [];
      if (state.tab === "dispatch") rows = rows.concat(suggestionRows(t));
      if (t.pending_return && state.tab === "returns") {
        rows.push(line("退单理由", t.pending_return.reason + "（" + t.pending_return.by + "，" + when(t.pending_return.at) + "）", "office-ask"));
      }
      if (t.pending_extension && state.tab === "extension_requests") {
        rows.push(line("申请延期", t.pending_extension.days + " 个工作日：" + t.pending_extension.reason +
          "（" + t.pending_extension.by + "，" + when(t.pending_extension.at) + "）", "office-ask"));
      }
      if (t.supervision) {
        rows.push(line("督办", t.supervision.reason + "（" + when(t.supervision.since) + " 起" +
          (t.supervision.level ? "，已升级至" + t.supervision.level_label : "") + "）", "office-sup"));
      }
      if (t.urgings && t.urgings.length) {
        var last = t.urgings[t.urgings.length - 1];
        rows.push(line("催办" + t.urgings.length + "次，最近", last.text + "（" + when(last.at) + "）"));
      }
      return el("div", { class: "office-details" }, rows);
    }

    function suggestionRows(t) {
      var rows = [];
      if (t.returned) {
        rows.push(line("退单理由", (t.returned.detail.reason || "") + "（" + t.returned.actor + "）", "office-ask"));
      }
      var best = twoBest(t.suggestion);
      var pick = function (d, label) {
        return d ? label + d.name + "（" + percent(d.confidence) + "）" : label + "无";
      };
      if (!best.lead) rows.push(line("智能派单", "无候选单位，请人工选择承办单位"));
      else rows.push(line(best.abstain ? "智能派单未建议，候选" : "建议牵头",
        pick(best.lead, "") + "　" + pick(best.runner, "次选：")));
      var why = t.suggestion && t.suggestion.why;
      if (why && why.matched && why.matched.length) rows.push(line("依据", "关键词 " + why.matched.join("、")));
      return rows;
    }

    /* ---------- actions ---------- */

    function buttons(t, box) {
      var act = function (label, cls, path, body, done) {
        return el("button", { type: "button", class: cls, "data-action": path,
          onclick: function (e) { send(e.target, t.number, path, body(box.value.trim()), done); } }, label);
      };
      var yes = function (v) { return { approve: true, reason: v }; };
      var no = function (v) { return { approve: false, reason: v }; };
      switch (state.tab) {
        case "dispatch": return dispatchButtons(t, box);
        case "returns": return [act("同意退单", "btn-primary", "return-review", yes, "已同意退单，工单回到待派单"),
                                act("不同意退单", "btn-danger", "return-review", no, "已不同意退单，承办单位继续办理")];
        case "extension_requests": return [act("同意延期", "btn-primary", "extension", yes, "已同意延期"),
                                           act("不同意延期", "btn-danger", "extension", no, "已不同意延期")];
        case "red_unsupervised": return [act("督办", "btn-primary", "supervise", function (v) { return { reason: v }; }, "已列入督办"),
                                         act("催办", "btn-secondary", "urge", function (v) { return { text: v }; }, "已发出催办")]
                                         .concat(reassignControls(t, box));
        default: return [act("催办", "btn-secondary", "urge", function (v) { return { text: v }; }, "已发出催办"),
                         escalate(act("升级督办", "btn-warn", "escalate", function (v) { return { reason: v }; }, "已升级督办"), t),
                         act("解除督办", "btn-danger", "unsupervise", function (v) { return { note: v }; }, "已解除督办")]
                         .concat(reassignControls(t, box));
      }
    }

    /* Only an overdue (red-card) ticket may be escalated: the button says so instead of failing. */
    function escalate(button, t) {
      if (t.card !== "red") {
        button.disabled = true;
        button.title = "只有超期（红牌）工单可以升级督办";
      }
      return button;
    }

    function departmentSelect(t, label) {
      return el("select", { class: "office-select", id: "dept-" + t.number, "aria-label": label },
        [el("option", { value: "" }, "选择承办单位…")].concat(state.departments.map(function (d) {
          return el("option", { value: d.id }, d.name);
        })));
    }

    /* 改派: a supervised or overdue ticket with the wrong department goes to another, the box's text
       being the reason (the server requires one). */
    function reassignControls(t, box) {
      if (["dispatched", "in_progress", "reopened"].indexOf(t.status) < 0) return [];
      var choose = departmentSelect(t, "改派到承办单位");
      return [el("span", { class: "office-pair" }, [choose, el("button", { type: "button", class: "btn-secondary", "data-action": "reassign",
        onclick: function (e) {
          if (!choose.value) { ctx.banner("请先选择改派到的承办单位"); return; }
          send(e.target, t.number, "reassign", { department: choose.value, reason: box.value.trim() }, "已改派");
        } }, "改派")])];
    }

    function dispatchButtons(t, box) {
      var best = twoBest(t.suggestion);
      var choose = departmentSelect(t, "派往承办单位");
      var go = function (dept, label, cls) {
        return el("button", { type: "button", class: cls, "data-action": "dispatch", "data-department": dept.id,
          onclick: function (e) {
            var body = { department: dept.id };
            if (box.value.trim()) body.note = box.value.trim();
            send(e.target, t.number, "dispatch", body, "已派单：" + dept.name);
          } }, label);
      };
      var out = [];
      if (best.lead) out.push(go(best.lead, "派给" + best.lead.name, "btn-primary"));
      if (best.runner) out.push(go(best.runner, "派给次选" + best.runner.name, "btn-secondary"));
      out.push(el("span", { class: "office-pair" }, [choose, el("button", { type: "button", class: "btn-secondary", "data-action": "dispatch-chosen",
        onclick: function (e) {
          if (!choose.value) { ctx.banner("请先选择承办单位"); return; }
          var body = { department: choose.value };
          if (box.value.trim()) body.note = box.value.trim();
          send(e.target, t.number, "dispatch", body, "已派单");
        } }, "派单")]));
      return out;
    }

    function send(button, number, path, body, done) {
      button.disabled = true;
      ctx.api("POST", "/tickets/" + encodeURIComponent(number) + "/" + path, body).then(function () {
        delete state.drafts[state.tab + ":" + number];
        // Said once the lists show the result, so what the banner says is what the page shows.
        return load().then(function (shown) { if (shown) ctx.banner("工单 " + number + "：" + done, "ok"); });
      }, function (error) {
        button.disabled = false;
        ctx.banner(error.message);
      });
    }

    /* ---------- loading ---------- */

    function load() {
      return Promise.all([ctx.api("GET", "/supervision"), ctx.api("GET", "/dispatch/queue?limit=" + QUEUE_PAGE),
                   state.departments.length ? Promise.resolve({ departments: state.departments }) : ctx.api("GET", "/departments")])
        .then(function (results) {
          var desk = results[0];
          desk.queue = results[1].tickets;
          desk.queueTotal = results[1].total;
          state.data = desk;
          state.departments = results[2].departments;
          drawTabs();
          drawList();
          return true;
        }, function (error) { ctx.banner(error.message); return false; });
    }

    drawTabs();
    drawList();
    load();
  }

  Portal.register({ id: "office", title: "督办与审核", roles: ["office"], order: 5, render: render });
})();
