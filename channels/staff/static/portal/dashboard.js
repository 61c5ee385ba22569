/* 数据看板 in the staff portal: the office's statistics (GET /api/stats, bot/office/stats.py) for a
 * chosen period — key figures, the daily volume, volume by request type, channel, department and
 * district, emergency and not-accepted referrals, seat hand-offs and waits, and the per-department
 * figures the departments are evaluated on (on-time, extensions, returns, redo, satisfaction).
 * Downloads (Excel, the printable monthly report) are fetched with the token and saved as files.
 * A handler gets its own department's figures only (the server decides; the picker is hidden).
 * Hot topics and the forecast are panels of their own (hotspots.js, forecast.js).
 * Texts are set with textContent only; no inline styles (the page's CSP forbids them).
 */
(function () {
  "use strict";

  var TOKEN_KEY = "hotline.seats.token";   // seats/staff.js keeps the signed-in token here
  var DEPARTMENT_COLUMNS = [
    { key: "name", label: "承办单位" }, { key: "tickets", label: "工单" }, { key: "reply_rate", label: "答复率" },
    { key: "close_rate", label: "办结率" }, { key: "on_time_rate", label: "按时办理率" },
    { key: "overdue_open", label: "逾期未办结" }, { key: "extended", label: "延期" },
    { key: "returns", label: "退单" }, { key: "return_rate", label: "退单率" }, { key: "redone", label: "重办" },
    { key: "redo_rate", label: "重办率" }, { key: "rated", label: "评价" }, { key: "satisfied_rate", label: "满意率" },
    { key: "unsatisfied", label: "不满意" }
  ];
  var RATE_KEYS = ["reply_rate", "close_rate", "on_time_rate", "return_rate", "redo_rate", "satisfied_rate"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function addDays(d, n) { var c = new Date(d.getTime()); c.setDate(c.getDate() + n); return c; }
  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }
  function count(v) { return v === null || v === undefined ? "—" : Number(v).toLocaleString("zh-CN"); }
  function seconds(v) {
    if (v === null || v === undefined) return "—";
    return v >= 60 ? Math.floor(v / 60) + "分" + pad(Math.round(v % 60)) + "秒" : Math.round(v) + "秒";
  }
  function items(rows) { return (rows || []).map(function (r) { return { label: r.label, value: r.count }; }); }

  function parse(day) { var p = day.split("-"); return new Date(+p[0], +p[1] - 1, +p[2]); }

  /* Periods the office asks for most: this month so far, last month, the last 30 days, counted from
   * the hotline's own today (the server's first answer), not the browser's. */
  function presets(todayText) {
    var today = todayText ? parse(todayText) : new Date();
    var first = new Date(today.getFullYear(), today.getMonth(), 1);
    var lastMonthEnd = addDays(first, -1);
    return {
      month: [iso(first), iso(today)],
      lastMonth: [iso(new Date(lastMonthEnd.getFullYear(), lastMonthEnd.getMonth(), 1)), iso(lastMonthEnd)],
      days30: [iso(addDays(today, -29)), iso(today)]
    };
  }

  /* Download with the token in the header (a plain link would carry none) and save the blob. */
  function download(ctx, path, name) {
    var token = null;
    try { token = sessionStorage.getItem(TOKEN_KEY); } catch (e) { token = null; }
    return fetch("/api" + path, { headers: { "Authorization": "Bearer " + token }, cache: "no-store" })
      .then(function (response) {
        if (response.ok) return response.blob();
        return response.json().then(function (body) {
          throw new Error((body && body.error && body.error.message) || ("下载失败（" + response.status + "）"));
        }, function () { throw new Error("下载失败（" + response.status + "）"); });
      })
      .then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = ctx.el("a", { href: url, download: name, class: "dash-hidden" });
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
        ctx.banner("已下载：" + name, "ok");
      })
      .catch(function (error) { ctx.banner(error.message); });
  }

  function controls(ctx, state, reload) {
    var el = ctx.el;
    var from = el("input", { id: "dash-from", type: "date", value: state.from, required: true });
    var to = el("input", { id: "dash-to", type: "date", value: state.to, required: true });
    var dept = el("select", { id: "dash-department" }, [el("option", { value: "", text: "全部承办单位" })]);
    var handler = ctx.me && ctx.me.role === "handler";
    if (!handler) {
      ctx.api("GET", "/departments").then(function (data) {
        data.departments.forEach(function (d) { dept.appendChild(el("option", { value: d.id, text: d.name })); });
        dept.value = state.department;
      }).catch(function () { /* the figures still load for all departments */ });
    }
    function go() { state.from = from.value; state.to = to.value; state.department = handler ? "" : dept.value; reload(); }
    function preset(name) { return function () { var r = presets(state.today)[name]; from.value = r[0]; to.value = r[1]; go(); }; }
    var p = presets(state.today);
    var month = el("input", { id: "dash-report-month", type: "month", value: p.lastMonth[0].slice(0, 7) });
    state.showPeriod = function (data) {      // the first answer says the hotline's today and period
      from.value = data.from; to.value = data.to;
      if (!state.today) { state.today = data.to; month.value = presets(state.today).lastMonth[0].slice(0, 7); }
    };
    var left = el("div", { class: "dash-range" }, [
      el("label", { for: "dash-from" }, ["从 ", from]), el("label", { for: "dash-to" }, ["至 ", to]),
      handler ? null : el("label", { for: "dash-department" }, ["范围 ", dept]),
      el("button", { type: "button", class: "btn-primary", id: "dash-show", text: "查看", onclick: go }),
      el("button", { type: "button", class: "btn-link-dark", id: "dash-this-month", text: "本月", onclick: preset("month") }),
      el("button", { type: "button", class: "btn-link-dark", id: "dash-last-month", text: "上月", onclick: preset("lastMonth") }),
      el("button", { type: "button", class: "btn-link-dark", id: "dash-30", text: "近30天", onclick: preset("days30") })]);
    var right = el("div", { class: "dash-downloads" }, [
      el("button", { type: "button", class: "btn-secondary", id: "dash-xlsx", text: "导出 Excel",
        onclick: function () { download(ctx, "/stats.xlsx?" + query(state), "热线统计_" + state.from + "_" + state.to + ".xlsx"); } }),
      el("label", { for: "dash-report-month" }, ["月报 ", month]),
      el("button", { type: "button", class: "btn-secondary", id: "dash-report", text: "下载月度报告",
        onclick: function () {
          var q = "month=" + encodeURIComponent(month.value) + (state.department ? "&department=" + encodeURIComponent(state.department) : "");
          download(ctx, "/stats/report?" + q, "热线月度报告_" + month.value + ".html");
        } }),
      el("button", { type: "button", class: "btn-link-dark", id: "dash-print", text: "打印看板", onclick: function () { window.print(); } })]);
    return el("div", { class: "dash-controls" }, [left, right]);
  }

  function query(state) {
    if (!state.from || !state.to) return state.department ? "department=" + encodeURIComponent(state.department) : "";
    return "from=" + encodeURIComponent(state.from) + "&to=" + encodeURIComponent(state.to) +
      (state.department ? "&department=" + encodeURIComponent(state.department) : "");
  }

  function card(el, id, label, value, note, tone) {
    return el("div", { class: "dash-card" + (tone ? " " + tone : ""), id: id }, [
      el("div", { class: "dash-card-label", text: label }), el("div", { class: "dash-card-value", text: value }),
      note ? el("div", { class: "dash-card-note", text: note }) : null]);
  }

  function rateTone(v, good, fair) { return v === null || v === undefined ? "" : v >= good ? "good" : v >= fair ? "fair" : "poor"; }

  function kpis(ctx, data) {
    var el = ctx.el, t = data.totals, a = data.assistant, s = data.seats, r = data.referrals;
    var cards = [
      card(el, "kpi-tickets", "工单总数", count(t.tickets), "区间内新受理"),
      card(el, "kpi-on-time", "按时办理率", pct(t.on_time_rate), "含批准的延期", rateTone(t.on_time_rate, 0.9, 0.75)),
      card(el, "kpi-satisfied", "满意率", pct(t.satisfied_rate), "满意＋基本满意", rateTone(t.satisfied_rate, 0.9, 0.8)),
      card(el, "kpi-overdue", "逾期未办结", count(t.overdue_open), "现在仍超期在办", t.overdue_open ? "poor" : "good")];
    if (a) cards.push(card(el, "kpi-alone", "助手独立解答", pct(a.answered_alone_share), "知识库解答 " + count(a.kb_answers) + " 次"));
    if (s) cards.push(card(el, "kpi-seats", "转人工", count(s.handoffs), "平均等候 " + seconds(s.wait_seconds.mean) +
      "，90% 不超过 " + seconds(s.wait_seconds.p90)));
    if (r) cards.push(card(el, "kpi-referrals", "紧急转介 / 不予受理", count(r.emergency.total) + " / " + count(r.not_accepted.total),
      "110·119·120·122 / 告知其他渠道"));
    return el("div", { class: "dash-kpis", id: "dash-kpis" }, cards);
  }

  function departmentRows(rows) {
    return rows.map(function (row) {
      var shown = {};
      DEPARTMENT_COLUMNS.forEach(function (c) {
        var v = row[c.key];
        shown[c.key] = RATE_KEYS.indexOf(c.key) >= 0 ? pct(v) : v;
      });
      return shown;
    });
  }

  function draw(ctx, body, data) {
    var el = ctx.el, charts = ctx.charts, v = data.volume;
    body.textContent = "";
    var scope = data.department ? data.department.name : "全部承办单位";
    body.appendChild(el("p", { class: "dash-scope", id: "dash-scope" },
      "范围：" + scope + "；" + data.from + " 至 " + data.to + "（" + data.timezone + " 时间）受理的工单"));
    body.appendChild(kpis(ctx, data));

    // Charts keep their natural width (760) on the left, where their text stays readable on a
    // laptop; the short breakdowns are tables on the right.
    var main = el("div", { class: "dash-main" });
    var left = el("div", { class: "dash-charts", id: "dash-charts" });
    var side = el("div", { class: "dash-side", id: "dash-side" });
    main.appendChild(left);
    main.appendChild(side);
    body.appendChild(main);
    function box(parent, id) { var b = el("div", { class: "dash-box", id: id }); parent.appendChild(b); return b; }
    var days = v.by_day.map(function (d) { return d.date.slice(5); });
    charts.lines(box(left, "dash-daily"), days, [{ name: "受理工单", values: v.by_day.map(function (d) { return d.count; }) }],
      { title: "每日受理量", unit: "件" });
    charts.bars(box(left, "dash-by-type"), items(v.by_type), { title: "按诉求类型", unit: "件" });
    charts.bars(box(left, "dash-by-department"), items(v.by_department).slice(0, 12), { title: "按承办单位（牵头）", unit: "件" });
    charts.bars(box(left, "dash-by-territory"), items(v.by_territory), { title: "按属地（区县）", unit: "件" });
    var columns = [{ key: "label", label: "项目" }, { key: "count", label: "件数" }];
    charts.table(box(side, "dash-by-channel"), columns, v.by_channel, { title: "按受理渠道" });
    if (data.referrals) {
      charts.table(box(side, "dash-emergency"), columns, data.referrals.emergency.by_number, { title: "紧急转介（按号码）" });
      charts.table(box(side, "dash-not-accepted"), columns, data.referrals.not_accepted.by_reason, { title: "不予受理（按原因）" });
    }
    if (data.assistant) {
      var a = data.assistant;
      charts.table(box(side, "dash-assistant"), columns, [
        { label: "知识库直接解答", count: a.kb_answers }, { label: "给出相近条目", count: a.kb_offers },
        { label: "未能解答", count: a.unanswered }].concat(a.unanswered_by.map(function (r) {
          return { label: "　其中" + r.label, count: r.count }; })), { title: "智能助手" });
    }
    if (data.seats) {
      var w = data.seats.wait_seconds;
      charts.table(box(side, "dash-seat-reasons"), columns, data.seats.by_reason, { title: "转人工原因" });
      charts.table(box(side, "dash-seat-outcomes"), columns, data.seats.by_status.concat([
        { label: "等候中位数", count: seconds(w.median) }, { label: "最长等候", count: seconds(w.max) }]),
        { title: "转人工结果与等候" });
    }

    var table = el("div", { class: "dash-wide", id: "dash-departments" });
    body.appendChild(table);
    charts.table(table, DEPARTMENT_COLUMNS, departmentRows(data.departments), { title: "承办单位办理情况（考核指标）" });
    body.appendChild(el("p", { class: "dash-note" },
      "口径：按时办理率以每次答复是否在当时期限内计（批准的延期顺延期限，重办按重办时限；期限已过仍未答复的计为超时，未到期限的不参评）；" +
      "退单率＝同意退单 ÷ 收到的工单；重办率＝重办工单 ÷ 办结过的工单；满意率＝（满意＋基本满意）÷ 已评价工单（重办以第二次评价为准）；" +
      "助手独立解答＝知识库解答 ÷（知识库解答＋新建工单＋未转工单的人工接待）。统计不含任何个人信息。"));
  }

  function render(container, ctx) {
    // No period at first: the server answers the last 30 days ending the hotline's today.
    var state = { from: "", to: "", department: "", today: "" };
    var body = ctx.el("div", { class: "dash-body", id: "dash-body" }, [ctx.el("p", { class: "dash-loading", text: "正在统计…" })]);
    var serial = 0;
    function reload() {
      var mine = ++serial;
      body.classList.add("dash-busy");
      ctx.api("GET", "/stats?" + query(state)).then(function (data) {
        if (mine !== serial) return;     // a newer request was made meanwhile
        body.classList.remove("dash-busy");
        state.from = data.from; state.to = data.to;
        state.showPeriod(data);
        draw(ctx, body, data);
      }).catch(function (error) {
        if (mine !== serial) return;
        body.classList.remove("dash-busy");
        ctx.banner(error.message);
      });
    }
    container.appendChild(controls(ctx, state, reload));
    container.appendChild(body);
    reload();
  }

  Portal.register({ id: "dashboard", title: "数据看板", roles: ["seat", "office", "readonly", "handler"], order: 10,
                    render: render });
})();
