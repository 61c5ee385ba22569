/* 热点 panel of the staff portal: GET /api/hotspots as a ranked list.
 *
 * Requests about the same matter at the same place, grouped by the server (bot/office/hotspots.py),
 * hottest first: heat, place, period, requests and citizens, and an alert badge for a new,
 * fast-growing hotspot (the reason said in full above the list). A click on a hotspot opens its
 * tickets (GET /api/tickets/{number}: text and facts masked as the role allows).
 * No inline scripts or styles (the page's CSP): classes in hotspots.css.
 */
(function () {
  "use strict";

  var DETAIL_LIMIT = 30;     // tickets fetched when a hotspot is opened

  function isoDay(date) {
    var local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return local.toISOString().slice(0, 10);
  }

  function daysBefore(day, days) {
    var date = new Date(day + "T12:00:00");
    date.setDate(date.getDate() - days);
    return isoDay(date);
  }

  function shortDay(day) { return day ? day.slice(5).replace("-", "月") + "日" : ""; }

  function render(container, ctx) {
    var el = ctx.el;
    var today = isoDay(new Date());
    var from = el("input", {id: "hotspots-from", type: "date", value: daysBefore(today, 29), required: true});
    var to = el("input", {id: "hotspots-to", type: "date", value: today, required: true});
    var top = el("select", {id: "hotspots-top"}, [10, 20, 50].map(function (n) {
      return el("option", {value: n, selected: n === 20}, "前 " + n + " 个");
    }));
    var alertsOnly = el("input", {id: "hotspots-alerts", type: "checkbox"});
    var submit = el("button", {type: "submit", class: "btn-primary", id: "hotspots-submit"}, "查询");
    var form = el("form", {id: "hotspots-form", class: "hotspots-form"}, [
      el("label", {for: "hotspots-from"}, "从"), from, el("label", {for: "hotspots-to"}, "至"), to, top,
      el("label", {class: "hotspots-check"}, [alertsOnly, " 只看预警"]), submit]);
    var summary = el("p", {id: "hotspots-summary", class: "hotspots-summary", "aria-live": "polite"});
    var alerts = el("div", {id: "hotspots-alerts-box", class: "hotspots-alerts"});
    var chart = el("div", {id: "hotspots-chart", class: "hotspots-chart"});
    var list = el("ol", {id: "hotspots-list", class: "hotspots-list"});
    container.appendChild(el("div", {class: "hotspots"}, [
      el("h2", {}, "热点"),
      el("p", {class: "hotspots-help"},
        "同一地点、同一事项的诉求聚为一个热点（至少几位不同市民反映），按热度排序：热度综合件数、人数、" +
        "近7天增长速度和持续时间。新出现且增长快的热点标“预警”。点击热点查看其工单。"),
      form, summary, alerts, list, chart]));

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load();
    });
    load();

    function load() {
      if (from.value && to.value && from.value > to.value) {
        ctx.banner("开始日期不能晚于结束日期");
        return;
      }
      submit.disabled = true;
      summary.textContent = "正在分析 " + from.value + " 至 " + to.value + " 的工单……（首次分析大量工单需要一点时间）";
      list.textContent = "";
      alerts.textContent = "";
      chart.textContent = "";
      var query = "?from=" + from.value + "&to=" + to.value + "&top=" + top.value + (alertsOnly.checked ? "&alerts=1" : "");
      ctx.api("GET", "/hotspots" + query).then(show, function (error) {
        summary.textContent = "";
        ctx.banner(error.message);
      }).then(function () { submit.disabled = false; });
    }

    function show(data) {
      summary.textContent = data.from + " 至 " + data.to + "：" + (alertsOnly.checked ? "预警热点 " : "热点 ") +
        data.total + " 个" + (alertsOnly.checked ? "" : "，其中预警 " + data.alerts + " 个") +
        (data.total > data.hotspots.length ? "；显示前 " + data.hotspots.length + " 个" : "");
      if (!data.hotspots.length) {
        list.appendChild(el("li", {class: "portal-empty"}, alertsOnly.checked ? "没有需要预警的热点。" : "这段时间没有热点。"));
        return;
      }
      var alerted = data.hotspots.filter(function (h) { return h.alert; });
      alerted.forEach(function (h) {
        alerts.appendChild(el("p", {class: "hotspot-alert-line"}, [
          el("strong", {}, "预警"), " " + h.place + "：" + h.title + " —— " + h.reason]));
      });
      data.hotspots.forEach(function (h, i) { list.appendChild(item(h, i + 1, data.hotspots[0].heat)); });
      ctx.charts.bars(chart, data.hotspots.slice(0, 10).map(function (h) {
        return {label: h.place + " · " + h.title, value: h.heat};
      }), {title: "热度（前 10 个）", unit: ""});
    }

    function item(h, rank, maxHeat) {
      var detail = el("div", {id: "hotspot-detail-" + rank, class: "hotspot-detail", hidden: true});
      var bar = el("span", {class: "hotspot-heat-bar"});
      bar.setAttribute("data-level", String(Math.max(1, Math.round(10 * h.heat / (maxHeat || 1)))));
      var head = el("button", {type: "button", class: "hotspot-head", id: "hotspot-" + rank, "aria-expanded": "false"}, [
        el("span", {class: "hotspot-rank"}, String(rank)),
        el("span", {class: "hotspot-heat"}, [el("span", {class: "hotspot-heat-value"}, String(h.heat)), bar]),
        el("span", {class: "hotspot-main"}, [
          el("span", {class: "hotspot-title"}, [h.title, h.alert ? el("span", {class: "hotspot-badge"}, "预警") : null]),
          el("span", {class: "hotspot-meta"}, [
            el("span", {class: "hotspot-place"}, h.place),
            " · " + shortDay(h.from) + " 至 " + shortDay(h.to) + " · " + h.count + " 件 · " + h.citizens + " 位市民"])])]);
      head.addEventListener("click", function () {
        var open = detail.hidden;
        detail.hidden = !open;
        head.setAttribute("aria-expanded", open ? "true" : "false");
        if (open && !detail.getAttribute("data-loaded")) loadTickets(h, detail);
      });
      return el("li", {class: "hotspot" + (h.alert ? " alerted" : ""), "data-rank": rank}, [head, detail]);
    }

    function loadTickets(h, detail) {
      detail.setAttribute("data-loaded", "1");
      if (h.alert) detail.appendChild(el("p", {class: "hotspot-reason"}, "预警：" + h.reason));
      var numbers = h.tickets.slice(0, DETAIL_LIMIT);
      var rows = el("tbody");
      detail.appendChild(el("table", {class: "chart-table hotspot-tickets"}, [
        el("thead", {}, el("tr", {}, ["工单号", "受理时间", "类型", "状态", "诉求内容"].map(function (t) {
          return el("th", {}, t);
        }))), rows]));
      if (h.tickets.length > numbers.length) {
        detail.appendChild(el("p", {class: "hotspot-more"}, "共 " + h.tickets.length + " 件，显示最早的 " + numbers.length + " 件。"));
      }
      numbers.forEach(function (number) {
        var row = el("tr", {}, [el("td", {}, number), el("td", {colspan: 4, class: "muted"}, "读取中……")]);
        rows.appendChild(row);
        ctx.api("GET", "/tickets/" + number).then(function (t) {
          row.textContent = "";
          [t.number, (t.created_at || "").replace("T", " ").slice(0, 16), t.type_label, t.status_label, t.text]
            .forEach(function (value, i) { row.appendChild(el("td", {class: i === 4 ? "hotspot-text" : ""}, value || "")); });
        }, function (error) {
          row.lastChild.textContent = error.message;
        });
      });
    }
  }

  Portal.register({id: "hotspots", title: "热点", roles: ["seat", "office", "readonly"], order: 20, render: render});
})();
