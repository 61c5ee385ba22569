/* 「我的工单」: the tickets this browser opened (GET /my/tickets: the server knows them by the
 * session cookie it issued, never by anything this page says), and the news about them in the chat:
 * an answered ticket shows its answer, a closed one asks for a rating (POST /my/tickets/N/rating).
 */
(function () {
  "use strict";

  var chat = window.HotlineChat;
  var cards = window.HotlineCards;
  var el = cards.el;
  var NEWS_KEY = "hotline.webchat.ticket_news";   // number -> the status already told in the chat
  var POLL_MS = 60000;
  var dialog = document.getElementById("my-tickets");
  var list = document.getElementById("my-tickets-list");

  function told() {
    try { return JSON.parse(window.localStorage.getItem(NEWS_KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function remember(map) {
    try { window.localStorage.setItem(NEWS_KEY, JSON.stringify(map)); } catch (e) { /* private mode */ }
  }

  function fetchTickets() {
    return window.fetch("/my/tickets", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (answer) {
        if (!r.ok) throw new Error(answer.message || "暂时无法查询，请稍后再试。");
        return answer.tickets || [];
      });
    });
  }

  function rate(number, rating, reason) {
    return cards.postJson("/my/tickets/" + encodeURIComponent(number) + "/rating", { rating: rating, reason: reason });
  }

  function line(label, value, className) {
    var p = el("p", "ticket-line" + (className ? " " + className : ""));
    p.appendChild(el("span", "ticket-key", label + "："));
    var v = el("span", "ticket-value");
    v.appendChild(window.HotlinePhones.fragment(String(value)));
    p.appendChild(v);
    return p;
  }

  function ticketCard(t, onRated) {
    var item = el("article", "ticket");
    item.setAttribute("data-number", t.number);
    var head = el("p", "ticket-head");
    head.appendChild(el("span", "ticket-number", t.number));
    head.appendChild(el("span", "ticket-status status-" + t.status, t.status_label));
    item.appendChild(head);
    item.appendChild(line("类型", t.type_label));
    if (t.summary) item.appendChild(line("内容", t.summary));
    item.appendChild(line("进度", t.status_text));
    item.appendChild(line("承办部门", t.department));
    if (t.deadline) item.appendChild(line("答复期限", t.deadline));
    if (t.answer) item.appendChild(line("办理结果", t.answer, "ticket-answer"));
    if (t.rating_label) item.appendChild(line("您的评价", t.rating_label));
    if (t.rateable) {
      item.appendChild(cards.ratingForm({}, function () {}, function (rating, reason) {
        return rate(t.number, rating, reason).then(function (r) { if (onRated) onRated(); return r; });
      }));
    }
    return item;
  }

  function showList() {
    list.textContent = "";
    list.appendChild(el("p", "panel-note", "正在查询…"));
    fetchTickets().then(function (tickets) {
      list.textContent = "";
      if (!tickets.length) {
        list.appendChild(el("p", "ticket-empty", "本浏览器还没有登记过工单。在对话中说明您的事情，即可登记。"));
        return;
      }
      tickets.forEach(function (t) { list.appendChild(ticketCard(t, null)); });
    }, function (why) {
      list.textContent = "";
      list.appendChild(el("p", "rating-error", why.message));
    });
  }

  /* Ticket news in the chat: answered -> its answer; closed and unrated -> a rating card. */
  chat.render("ticket_news", function (data) {
    var card = el("section", "card card-ticket");
    card.appendChild(el("p", "card-title", "您的工单 " + data.number + " " + data.status_label));
    card.appendChild(line("承办部门", data.department));
    if (data.answer) card.appendChild(line("办理结果", data.answer, "ticket-answer"));
    return card;
  });
  chat.render("rate_ticket", function (data, update) {
    var card = el("section", "card card-rating");
    card.appendChild(el("p", "card-title", "工单 " + data.number + " 已办结，请评价办理结果"));
    if (data.answer) card.appendChild(line("办理结果", data.answer, "ticket-answer"));
    card.appendChild(cards.ratingForm(data, update, function (rating, reason) {
      return rate(data.number, rating, reason);
    }));
    return card;
  });

  function tellNews() {
    return fetchTickets().then(function (tickets) {
      var map = told();
      tickets.slice().reverse().forEach(function (t) {
        var news = t.rateable ? "rate" : (t.status === "replied" || t.status === "closed") ? t.status : null;
        if (!news || map[t.number] === news) return;
        map[t.number] = news;
        var data = { number: t.number, status_label: t.status_label, department: t.department, answer: t.answer };
        chat.addCard(news === "rate" ? "rate_ticket" : "ticket_news", data);
      });
      remember(map);
    }, function () { /* offline: try at the next poll */ });
  }

  document.getElementById("menu-tickets").addEventListener("click", function () {
    if (typeof dialog.showModal === "function") dialog.showModal(); else dialog.setAttribute("open", "");
    showList();
  });
  document.getElementById("my-tickets-close").addEventListener("click", function () { dialog.close(); });
  chat.on("ready", function () {
    tellNews();
    setInterval(tellNews, POLL_MS);
  });
  chat.on("ticket_opened", function (event) {
    var map = told();
    map[event.number] = "opened";
    remember(map);
  });
  window.HotlineTickets = { tellNews: tellNews };
})();
