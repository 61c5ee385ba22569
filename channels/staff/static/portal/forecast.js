/* 来件预测 in the staff portal: next week's (or a chosen week's) expected tickets per request type
 * or department from GET /api/forecast — the recent weeks' actual volume with the forecast week
 * appended (line chart, for the total or one series), the table with each series' interval and the
 * actual figures, and how good the forecasts were on held-out weeks beside the naive baseline
 * "same as last week". The model is bot/office/forecast.py; a handler sees its own department only
 * (the server filters). Texts are set with textContent only.
 */
(function () {
  "use strict";

  var BACKTEST_CHOICES = [4, 8, 12, 26];

  function pct(value) { return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%"; }
  function num(value) { return value === null || value === undefined ? null : Math.round(value); }
  function md(day) { return day ? day.slice(5) : ""; }

  function query(state) {
    var parts = ["by=" + encodeURIComponent(state.by), "backtest=" + state.backtest];
    if (state.week) parts.push("week=" + encodeURIComponent(state.week));
    return "/forecast?" + parts.join("&");
  }

  function controls(ctx, state, reload) {
    var el = ctx.el;
    var by = el("select", { id: "forecast-by", onchange: function () { state.by = by.value; reload(); } },
      [el("option", { value: "type", text: "按诉求类型" }), el("option", { value: "department", text: "按承办部门" })]);
    by.value = state.by;
    var week = el("input", { id: "forecast-week", type: "date", value: state.week || "" });
    var backtest = el("select", { id: "forecast-backtest", onchange: function () { state.backtest = +backtest.value; reload(); } },
      BACKTEST_CHOICES.map(function (k) { return el("option", { value: String(k), text: "最近 " + k + " 周" }); }));
    backtest.value = String(state.backtest);
    var show = el("button", { type: "button", class: "btn-primary", id: "forecast-show", text: "查看",
      onclick: function () { state.week = week.value; reload(); } });
    var next = el("button", { type: "button", class: "btn-secondary", text: "下周",
      onclick: function () { state.week = ""; reload(); } });
    return el("div", { class: "forecast-controls" }, [
      el("label", { for: "forecast-by" }, ["维度 ", by]),
      el("label", { for: "forecast-week" }, ["目标周（任选一天） ", week]), show, next,
      el("label", { for: "forecast-backtest" }, ["回测 ", backtest])]);
  }

  function summary(ctx, data) {
    var el = ctx.el, week = data.week;
    var lines = [el("p", { class: "forecast-week", id: "forecast-title" },
      "预测周：" + week.from + " 至 " + week.to + "（" + data.by_label + "）")];
    if (data.history) {
      lines.push(el("p", {}, "该周工作日 " + week.working_days + " 天，休息日 " + week.days_off + " 天" +
        (week.holidays ? "（含节假日 " + week.holidays + " 天，预计来件相应减少）" : "") +
        "；依据 " + data.history.from + " 至 " + data.history.to + " 共 " + data.history.weeks + " 个完整周；模型：" +
        data.model_label + "；区间为 " + Math.round(data.interval * 100) + "% 预测区间。"));
    }
    var bt = data.backtest;
    if (bt && bt.model.weeks) {
      lines.push(el("p", { class: "forecast-accuracy", id: "forecast-accuracy" },
        "准确度（最近 " + bt.weeks + " 个留出周，每周只用当时已有的数据）：误差率 WAPE " + pct(bt.model.wape) +
        "，朴素基线（同上周）" + pct(bt.naive.wape) + "；区间覆盖率 " + pct(bt.model.coverage) + "。"));
    }
    if (data.message) lines.push(el("p", { class: "forecast-note", id: "forecast-message" }, data.message));
    if (data.warning) lines.push(el("p", { class: "forecast-warning", id: "forecast-warning" }, data.warning));
    return el("section", { class: "forecast-summary", id: "forecast-summary" }, lines);
  }

  /* Actual weekly counts, the forecasts made for the held-out weeks and the target week's, with its interval. */
  function chart(ctx, host, data, key) {
    host.textContent = "";
    var recent = data.recent;
    var line = recent.series.filter(function (s) { return s.key === key; })[0] || recent.series[0];
    // Short "12/7" labels (the last one sits at the plot's right edge); the title names the forecast week.
    var short = function (w) { return (+w.slice(5, 7)) + "/" + (+w.slice(8, 10)); };
    var labels = recent.weeks.map(short);
    var last = line.expected.length - 1;
    var band = function (values) { return values.map(function (v, i) { return i === last ? v : null; }); };
    ctx.charts.lines(host, labels, [
      { name: "实际来件", values: line.actual },
      { name: "预测（回测与预测周）", values: line.expected },
      { name: "区间上限", values: band(line.high) },
      { name: "区间下限", values: band(line.low) }
    ], { title: line.label + "：每周来件与预测（最后一周 " + labels[labels.length - 1] + " 为预测周）", unit: "件" });
  }

  function chartPicker(ctx, host, data) {
    var el = ctx.el;
    var pick = el("select", { id: "forecast-series", onchange: function () { chart(ctx, host, data, pick.value); } },
      data.recent.series.map(function (s) { return el("option", { value: s.key, text: s.label }); }));
    return el("label", { for: "forecast-series", class: "forecast-pick" }, ["图中显示 ", pick]);
  }

  function forecastTable(ctx, host, data) {
    // Short headers (the table shares the width with the chart); the weeks they mean are said below it.
    var columns = [{ key: "label", label: data.by_label }, { key: "expected", label: "预测" },
                   { key: "interval", label: "预测区间" },
                   { key: "last_week", label: data.current_week ? "上周实际" : "前一周实际" }];
    var weeks = (data.current_week ? "上周" : "前一周") + "：" + data.last_week + " 起";
    if (data.current_week) {
      columns.push({ key: "so_far", label: "本周至今" });
      weeks += "；本周：" + data.current_week + " 起";
    }
    var rows = data.series.concat(data.total ? [data.total] : []).map(function (s) {
      return { label: s.label, expected: s.expected === null ? s.note : num(s.expected),
               interval: s.low === null ? null : s.low + "–" + s.high, last_week: s.last_week,
               so_far: s.so_far, actual: s.actual };
    });
    if (rows.some(function (r) { return r.actual !== null; })) columns.push({ key: "actual", label: "实际" });
    var fig = ctx.charts.table(host, columns, rows, { title: "预测与实际（件）" });
    fig.id = "forecast-table";
    fig.appendChild(ctx.el("p", { class: "forecast-note" }, weeks + "。"));
  }

  function backtestTable(ctx, host, data) {
    var bt = data.backtest;
    if (!bt || !bt.model.weeks) return;
    var row = function (label, model, naive) {
      return { label: label, weeks: model.weeks, mae: model.mae, wape: pct(model.wape), mape: pct(model.mape),
               naive_mae: naive.mae, naive_wape: pct(naive.wape), naive_mape: pct(naive.mape) };
    };
    var rows = bt.series.map(function (s) { return row(s.label, s.model, s.naive); });
    rows.push(row("各项合并", bt.model, bt.naive));
    rows.push(row("合计（总量）", bt.total.model, bt.total.naive));
    var fig = ctx.charts.table(host, [
      { key: "label", label: data.by_label }, { key: "weeks", label: "周数" }, { key: "mae", label: "平均误差" },
      { key: "wape", label: "WAPE" }, { key: "mape", label: "MAPE" }, { key: "naive_mae", label: "朴素 平均误差" },
      { key: "naive_wape", label: "朴素 WAPE" }, { key: "naive_mape", label: "朴素 MAPE" }], rows,
      { title: "回测：" + bt.from + " 至 " + bt.to + "，本模型与朴素基线（同上周）" });
    fig.id = "forecast-accuracy-table";
    fig.appendChild(ctx.el("p", { class: "forecast-note" },
      "WAPE = 误差之和 ÷ 实际来件之和（件数少的项目也适用）；MAPE 只计有来件的周；每个留出周都只用它之前的数据预测，提前 " +
      data.horizon + " 周，与本次预测相同。"));
  }

  function render(container, ctx) {
    var state = { by: "type", week: "", backtest: 8 };
    var body = ctx.el("div", { class: "forecast-body", id: "forecast-body" });
    var asked = 0;   // only the latest request's answer is shown: a slow earlier one must not overwrite it
    function reload() {
      var mine = ++asked;
      body.textContent = "";
      body.appendChild(ctx.el("p", { class: "forecast-note", text: "正在计算预测…" }));
      ctx.api("GET", query(state)).then(function (data) {
        if (mine !== asked) return;
        body.textContent = "";
        body.appendChild(summary(ctx, data));
        if (!data.recent) return;
        var columns = ctx.el("div", { class: "forecast-columns" });
        var left = ctx.el("div", { class: "forecast-chart", id: "forecast-chart" });
        var right = ctx.el("div", { class: "forecast-side" });
        var plot = ctx.el("div", {});
        left.appendChild(chartPicker(ctx, plot, data));
        left.appendChild(plot);
        chart(ctx, plot, data, "total");
        forecastTable(ctx, right, data);
        columns.appendChild(left);
        columns.appendChild(right);
        body.appendChild(columns);
        backtestTable(ctx, body, data);
      }, function (error) {
        if (mine !== asked) return;
        body.textContent = "";
        ctx.banner(error && error.message ? error.message : String(error), "error");
      });
    }
    container.appendChild(ctx.el("h2", { text: "来件预测" }));
    container.appendChild(controls(ctx, state, reload));
    container.appendChild(body);
    reload();
  }

  Portal.register({ id: "forecast", title: "来件预测", roles: ["seat", "office", "readonly", "handler"], order: 25,
                    render: render });
})();
