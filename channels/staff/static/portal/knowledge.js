/* 知识库维护 (knowledge-base upkeep) in the staff portal: seed 000 §7(3), §9(4).
 *
 * A department's handler: its own entries (stale ones highlighted), propose a change or a new entry,
 * and the outcome of its proposals (published, or refused with the office's reason).
 * The hotline office: pending proposals with the diff against the current entry, approve (publish:
 * the YAML file, the entry's history and the search index are updated by the server) or refuse with
 * a reason; stale entries of every department; the questions the assistant could not answer,
 * grouped, each with its nearest entry and a button that opens the form prefilled; a seat's answer
 * in a queued conversation turned into a draft.
 * API: /api/kb/... (channels/staff/api/knowledge.py). Texts are only ever set with textContent.
 */
(function () {
  "use strict";

  var FIELD_LABELS = { question: "标准问法", alternatives: "其他问法", answer: "答案", department: "部门",
                       phone: "咨询电话", source: "依据来源", valid_until: "有效期至", review_by: "复核日期" };
  var FELL_TO = { ticket: "转工单", fallback: "没听懂", seat: "转人工", unknown: "其他" };
  var STATUS_CLASS = { pending: "kb-pending", approved: "kb-approved", refused: "kb-refused" };

  function when(iso) { return iso ? iso.replace("T", " ").slice(0, 16) : ""; }
  function show(value) {
    if (value === null || value === undefined || value === "") return "（空）";
    return Array.isArray(value) ? (value.length ? value.join("；") : "（空）") : String(value);
  }

  function render(container, ctx) {
    var el = ctx.el, api = ctx.api, me = ctx.me;
    var office = me.role === "office";
    var state = { tab: office ? "proposals" : "entries", departments: [] };
    var tabs = office
      ? [["proposals", "待审核提议"], ["stale", "待复核条目"], ["unanswered", "未答上的问题"], ["entries", "全部条目"],
         ["decided", "已审核"]]
      : [["entries", "本部门条目"], ["stale", "待复核"], ["mine", "我的提议"]];

    var tabBar = el("div", { class: "kb-tabs", id: "kb-tabs", role: "tablist" });
    var newButton = el("button", { type: "button", class: "btn-primary kb-new", id: "kb-new", text: "新增条目",
                                   onclick: function () { openForm(null, {}); } });
    var body = el("div", { class: "kb-body", id: "kb-body" });
    var formArea = el("div", { class: "kb-form-area", id: "kb-form-area", hidden: true });
    container.appendChild(el("div", { class: "kb" }, [
      el("div", { class: "kb-top" }, [tabBar, newButton]),
      el("div", { class: "kb-main" }, [body, formArea])
    ]));

    tabs.forEach(function (t) {
      tabBar.appendChild(el("button", { type: "button", role: "tab", class: "kb-tab", id: "kb-tab-" + t[0], "data-tab": t[0],
                                        text: t[1], onclick: function () { choose(t[0]); } }));
    });

    function choose(tab) {
      state.tab = tab;
      Array.prototype.forEach.call(tabBar.children, function (b) {
        var on = b.getAttribute("data-tab") === tab;
        b.classList.toggle("active", on);
        b.setAttribute("aria-selected", on ? "true" : "false");
      });
      body.textContent = "";
      body.appendChild(el("p", { class: "kb-muted", text: "正在加载……" }));
      var loaders = { proposals: function () { return loadProposals("pending"); },
                      decided: function () { return loadProposals(""); }, mine: function () { return loadProposals(""); },
                      stale: loadStale, unanswered: unansweredForm, entries: loadEntries };
      Promise.resolve(loaders[tab]()).catch(function (error) {
        body.textContent = "";
        ctx.banner(error.message);
      });
    }

    /* ---------- proposals ---------- */

    function loadProposals(status) {
      return api("GET", "/kb/proposals" + (status ? "?status=" + status : "")).then(function (data) {
        body.textContent = "";
        var list = state.tab === "decided" ? data.proposals.filter(function (p) { return p.status !== "pending"; })
                                           : data.proposals;
        body.appendChild(el("h2", { class: "kb-heading", text: (state.tab === "proposals" ? "待审核提议" : state.tab === "mine"
          ? "本部门的提议及审核结果" : "已审核的提议") + "（" + list.length + "）" }));
        if (!list.length) body.appendChild(el("p", { class: "kb-muted kb-empty", text: "没有提议。" }));
        list.forEach(function (p) { body.appendChild(proposalCard(p)); });
      });
    }

    function diffTable(diff) {
      var rows = diff.map(function (d) {
        return el("tr", null, [el("th", { scope: "row", text: FIELD_LABELS[d.field] || d.field }),
                               d.before === null || d.before === undefined || d.before === ""
                                 ? el("td", { class: "kb-none", text: "—" }) : el("td", { class: "kb-before", text: show(d.before) }),
                               el("td", { class: "kb-after", text: show(d.after) })]);
      });
      return el("table", { class: "kb-diff" }, [
        el("thead", null, el("tr", null, [el("th", { text: "字段" }), el("th", { text: "现在" }), el("th", { text: "提议" })])),
        el("tbody", null, rows)]);
    }

    function proposalCard(p) {
      var card = el("article", { class: "kb-card " + (STATUS_CLASS[p.status] || ""), id: "kb-proposal-" + p.id }, [
        el("div", { class: "kb-card-top" }, [
          el("span", { class: "kb-badge", text: p.status_label }),
          el("strong", { text: (p.kind === "new" ? "新条目 " : "修改 ") + p.entry_id }),
          el("span", { class: "kb-muted", text: p.owner_name }),
          el("span", { class: "kb-muted kb-right", text: p.proposed_by + " · " + when(p.proposed_at) })]),
        p.note ? el("p", { class: "kb-note", text: "说明：" + p.note }) : null,
        p.outdated ? el("p", { class: "kb-warn", text: "提议之后该条目已被修改：下表对比的是现在的版本，发布将覆盖那次修改。" }) : null,
        p.origin && p.origin.seat_queue_id ? el("p", { class: "kb-muted", text: "来自坐席接待 #" + p.origin.seat_queue_id }) : null,
        diffTable(p.diff),
        p.status === "refused" ? el("p", { class: "kb-reason", text: "退回理由：" + (p.reason || "") + "（" + (p.reviewed_by || "") + " " + when(p.reviewed_at) + "）" }) : null,
        p.status === "approved" ? el("p", { class: "kb-ok", text: "已发布：" + (p.reviewed_by || "") + " " + when(p.reviewed_at) }) : null
      ]);
      if (office && p.status === "pending") card.appendChild(decision(p));
      return card;
    }

    function decision(p) {
      var reason = el("input", { type: "text", id: "kb-reason-" + p.id, class: "kb-reason-input", maxlength: "500",
                                 placeholder: "退回理由（退回时必填，承办单位会看到）", "aria-label": "退回理由" });
      var approve = el("button", { type: "button", class: "btn-primary", id: "kb-approve-" + p.id, text: "审核通过并发布" });
      var refuse = el("button", { type: "button", class: "btn-danger", id: "kb-refuse-" + p.id, text: "退回" });
      function busy(on) { approve.disabled = on; refuse.disabled = on; }
      approve.addEventListener("click", function () {
        busy(true);
        api("POST", "/kb/proposals/" + p.id + "/approve").then(function (done) {
          var index = done.index || {};
          ctx.banner("已发布 " + done.entry_id + (index.updated ? "：索引已更新（新增 " + index.added.length + "，修改 "
            + index.changed.length + "，其余 " + index.unchanged + " 条未重新编码）" : "。" + (index.message || "")), "ok");
          choose(state.tab);
        }).catch(function (error) { busy(false); ctx.banner(error.message); });
      });
      refuse.addEventListener("click", function () {
        if (!reason.value.trim()) { ctx.banner("请先填写退回理由"); reason.focus(); return; }
        busy(true);
        api("POST", "/kb/proposals/" + p.id + "/refuse", { reason: reason.value.trim() }).then(function () {
          ctx.banner("已退回提议 #" + p.id, "ok");
          choose(state.tab);
        }).catch(function (error) { busy(false); ctx.banner(error.message); });
      });
      return el("div", { class: "kb-decide" }, [reason, refuse, approve]);
    }

    /* ---------- entries ---------- */

    function entryTable(entries, heading) {
      body.textContent = "";
      body.appendChild(el("h2", { class: "kb-heading", text: heading + "（" + entries.length + "）" }));
      if (!entries.length) { body.appendChild(el("p", { class: "kb-muted kb-empty", text: "没有条目。" })); return; }
      var rows = entries.map(function (e) {
        return el("tr", { id: "kb-entry-" + e.id, class: e.stale ? "kb-stale" : "" }, [
          el("td", null, [el("div", { class: "kb-q", text: e.question }), el("div", { class: "kb-id", text: e.id + " · " + e.file })]),
          el("td", null, el("div", { class: "kb-answer-cell", text: e.answer })),
          office ? el("td", { text: e.owner_name }) : null,
          el("td", null, [el("div", { text: e.review_due }),
                          e.stale ? el("div", { class: "kb-stale-why", text: e.stale_reasons.join("；") }) : null]),
          el("td", null, [e.pending ? el("div", { class: "kb-badge", text: "待审核 " + e.pending }) : null,
                          el("button", { type: "button", class: "btn-secondary kb-small", id: "kb-edit-" + e.id, text: "提议修改",
                                         onclick: function () { openForm(e, e); } })])]);
      });
      body.appendChild(el("table", { class: "kb-entries" }, [
        el("thead", null, el("tr", null, [["q", "标准问法"], ["a", "答案"], office ? ["owner", "维护部门"] : null, ["due", "复核日期"], ["act", ""]]
          .filter(Boolean).map(function (h) { return el("th", { text: h[1], class: "kb-c-" + h[0] }); }))),
        el("tbody", null, rows)]));
    }

    function loadEntries() {
      var q = state.q || "";
      var search = el("input", { type: "search", id: "kb-q", class: "kb-q-input", value: q, placeholder: "按关键词查找条目",
                                 "aria-label": "查找条目" });
      search.addEventListener("keydown", function (e) { if (e.key === "Enter") { state.q = search.value; choose("entries"); } });
      return api("GET", "/kb/entries" + (q ? "?q=" + encodeURIComponent(q) : "")).then(function (data) {
        var sorted = data.entries.slice().sort(function (a, b) { return (b.stale - a.stale) || a.id.localeCompare(b.id); });
        entryTable(sorted, office ? "全部条目" : "本部门条目（" + (me.department || "") + "）");
        body.insertBefore(el("div", { class: "kb-search" }, [search]), body.firstChild);
      });
    }

    function loadStale() {
      return api("GET", "/kb/stale").then(function (data) {
        entryTable(data.entries, "待复核条目：超过复核日期或有效期");
      });
    }

    /* ---------- unanswered questions and seat answers ---------- */

    function unansweredForm() {
      // Empty at first: the server picks the last 30 days by the hotline's own calendar (Beijing
      // time), which a browser elsewhere would not know; its answer fills the dates in.
      var from = el("input", { type: "date", id: "kb-from", "aria-label": "开始日期" });
      var to = el("input", { type: "date", id: "kb-to", "aria-label": "结束日期" });
      var results = el("div", { id: "kb-groups" });
      var queue = el("input", { type: "number", id: "kb-seat-queue", min: "1", placeholder: "坐席接待编号", class: "kb-queue-input" });
      function showGroups() {
        results.textContent = "";
        results.appendChild(el("p", { class: "kb-muted", text: "正在分组……" }));
        var query = [from.value ? "from=" + from.value : "", to.value ? "to=" + to.value : ""].filter(Boolean).join("&");
        return api("GET", "/kb/unanswered" + (query ? "?" + query : "")).then(function (data) {
          from.value = data.from;
          to.value = data.to;
          results.textContent = "";
          results.appendChild(el("p", { class: "kb-muted", id: "kb-groups-summary",
            text: data.from + " 至 " + data.to + "：没答上的问题 " + data.questions + " 个，按意思分为 " + data.groups.length + " 组" }));
          data.groups.forEach(function (g, n) { results.appendChild(groupCard(g, n)); });
        }).catch(function (error) { results.textContent = ""; ctx.banner(error.message); });
      }
      body.textContent = "";
      body.appendChild(el("div", { class: "kb-toolbar" }, [
        el("label", null, ["从 ", from]), el("label", null, ["到 ", to]),
        el("button", { type: "button", class: "btn-secondary", id: "kb-unanswered-show", text: "查看", onclick: showGroups }),
        el("span", { class: "kb-spacer" }),
        queue,
        el("button", { type: "button", class: "btn-secondary", id: "kb-from-seat", text: "坐席答复转条目",
                       onclick: function () {
                         api("POST", "/kb/proposals/from-seat", { queue_id: parseInt(queue.value, 10) || 0 }).then(function (data) {
                           openForm(null, data.draft);
                           ctx.banner("已按坐席答复预填，请修改后提交。", "info");
                         }).catch(function (error) { ctx.banner(error.message); });
                       } })]));
      body.appendChild(results);
      return showGroups();
    }

    function groupCard(g, n) {
      var near = g.nearest;
      return el("article", { class: "kb-card kb-group kb-" + g.verdict, id: "kb-group-" + n }, [
        el("div", { class: "kb-card-top" }, [
          el("strong", { class: "kb-count", text: g.count + " 次" }),
          el("span", { class: "kb-muted", text: g.citizens + " 位市民 · " + when(g.from).slice(0, 10) + " 至 " + when(g.to).slice(0, 10)
            + " · " + Object.keys(g.fell_to).map(function (k) { return (FELL_TO[k] || k) + " " + g.fell_to[k]; }).join("，") }),
          el("span", { class: "kb-badge kb-right", text: g.verdict_label })]),
        el("p", { class: "kb-q", text: g.title }),
        g.questions.length > 1 ? el("p", { class: "kb-muted kb-others", text: "其他说法：" + g.questions.slice(1, 6).join("；") }) : null,
        el("p", { class: "kb-near", text: near ? "最相近的条目：" + near.question + "（" + near.id + "，相似度 " + near.score.toFixed(3) + "）"
                                                   : "没有相近的条目" }),
        el("button", { type: "button", class: "btn-secondary kb-small", id: "kb-create-" + n, text: "据此新建条目",
                       onclick: function () {
                         openForm(null, { question: g.title, alternatives: g.questions.slice(1, 6),
                                          origin: { unanswered: g.title.slice(0, 200) } });
                       } })]);
    }

    /* ---------- the form: a new entry or a change ---------- */

    function field(id, label, input, hint) {
      return el("div", { class: "kb-field" }, [el("label", { for: id, text: label }), input,
                                               hint ? el("small", { class: "kb-muted", text: hint }) : null]);
    }

    function departmentSelect(current) {
      var select = el("select", { id: "kb-f-department" }, [el("option", { value: "", text: "热线办自行维护" })]);
      state.departments.forEach(function (d) {
        select.appendChild(el("option", { value: d.id, text: d.name, selected: d.id === current }));
      });
      return select;
    }

    function openForm(entry, prefill) {
      var v = prefill || {};
      formArea.textContent = "";
      formArea.hidden = false;
      var inputs = {
        question: el("input", { type: "text", id: "kb-f-question", maxlength: "200", required: true }),
        alternatives: el("textarea", { id: "kb-f-alternatives", rows: "2" }),
        answer: el("textarea", { id: "kb-f-answer", rows: "4", maxlength: "2000", required: true }),
        phone: el("input", { type: "text", id: "kb-f-phone", maxlength: "60", required: true }),
        source: el("input", { type: "text", id: "kb-f-source", maxlength: "300", required: true }),
        valid_until: el("input", { type: "date", id: "kb-f-valid-until" }),
        note: el("input", { type: "text", id: "kb-f-note", maxlength: "1000", placeholder: "向热线办说明修改原因（可选）" })
      };
      inputs.question.value = v.question || "";
      inputs.alternatives.value = (v.alternatives || []).join("\n");
      inputs.answer.value = v.answer || "";
      inputs.phone.value = v.phone || "";
      inputs.source.value = v.source || "";
      inputs.valid_until.value = v.valid_until || "";
      var department = office && !entry ? departmentSelect(v.owner || "") : null;
      var submit = el("button", { type: "submit", class: "btn-primary", id: "kb-f-submit", text: "提交审核" });
      var form = el("form", { class: "kb-form", id: "kb-form" }, [
        el("h2", { class: "kb-heading", text: entry ? "提议修改：" + entry.id : "新增条目" }),
        entry ? null : el("p", { class: "kb-muted", text: office ? "请选择维护部门；提交后在「待审核提议」中发布。"
                                                                 : "提交后由热线办审核发布。" }),
        department ? field("kb-f-department", "维护部门", department) : null,
        field("kb-f-question", "标准问法", inputs.question),
        field("kb-f-alternatives", "其他问法", inputs.alternatives, "每行一个，群众口语说法越多越容易被找到"),
        field("kb-f-answer", "答案", inputs.answer, "话务员口吻，写明部门和电话；各地不同的数字写“以本市规定为准”"),
        el("div", { class: "kb-row" }, [field("kb-f-phone", "咨询电话", inputs.phone),
                                        field("kb-f-valid-until", "有效期至（可选）", inputs.valid_until)]),
        field("kb-f-source", "依据来源", inputs.source, "政策名称或网址"),
        field("kb-f-note", "说明", inputs.note),
        el("div", { class: "kb-actions" }, [
          el("button", { type: "button", class: "btn-secondary", id: "kb-f-cancel", text: "取消",
                         onclick: function () { formArea.hidden = true; formArea.textContent = ""; } }),
          submit])]);
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var data = { question: inputs.question.value, answer: inputs.answer.value, phone: inputs.phone.value.trim(),
                     source: inputs.source.value, valid_until: inputs.valid_until.value || null,
                     alternatives: inputs.alternatives.value.split("\n").map(function (s) { return s.trim(); })
                       .filter(function (s) { return s; }) };
        if (entry) data.entry_id = entry.id;
        if (department && department.value) data.department = department.value;
        if (inputs.note.value.trim()) data.note = inputs.note.value.trim();
        if (v.origin) data.origin = v.origin;
        submit.disabled = true;
        api("POST", "/kb/proposals", data).then(function (p) {
          formArea.hidden = true;
          formArea.textContent = "";
          ctx.banner("已提交提议 #" + p.id + "（" + p.entry_id + "），等待热线办审核。", "ok");
          choose(office ? "proposals" : "mine");
        }).catch(function (error) { submit.disabled = false; ctx.banner(error.message); });
      });
      formArea.appendChild(form);
      inputs.question.focus();
    }

    if (office) {
      api("GET", "/departments").then(function (data) {
        state.departments = data.departments || data || [];
      }).catch(function () { state.departments = []; });
    }
    choose(state.tab);
  }

  Portal.register({ id: "knowledge", title: "知识库维护", roles: ["office", "handler"], order: 30, render: render });
})();
