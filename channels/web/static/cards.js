/* Cards in the conversation, drawn from the assistant's events (chat.js): the emergency card with
 * large tap-to-call buttons, the rating of a seat's service after a hand-off, 常见问题. Each is kept
 * in the transcript as {role: "card", kind, data}; `update()` saves a change to its data.
 * Only DOM nodes and textContent: nothing from the server is parsed as markup.
 */
(function () {
  "use strict";

  var chat = window.HotlineChat;
  var EMERGENCY = {
    "110": "报警", "119": "火警、救援", "120": "急救", "122": "交通事故"
  };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function callButton(number, big) {
    var a = el("a", big ? "call-button call-main" : "call-button");
    a.href = "tel:" + number;
    a.appendChild(el("span", "call-number", number));
    a.appendChild(el("span", "call-label", EMERGENCY[number]));
    a.setAttribute("aria-label", "拨打 " + number + " " + EMERGENCY[number]);
    return a;
  }

  /* transfer {to: 110|119|120|122}: the number to call now, big; the others below. */
  chat.render("emergency", function (data) {
    var card = el("section", "card card-emergency");
    card.setAttribute("role", "alert");
    card.appendChild(el("p", "card-title", "紧急情况，请立即拨打 " + data.to));
    card.appendChild(el("p", "card-text", "网上客服不能派警、派车。请马上打电话，说清地点和情况。"));
    card.appendChild(callButton(data.to, true));
    var others = el("div", "call-others");
    Object.keys(EMERGENCY).forEach(function (n) { if (n !== data.to) others.appendChild(callButton(n, false)); });
    card.appendChild(others);
    return card;
  });

  /* The three grades, and a reason when unsatisfied; submit(rating, reason) returns a promise of
     {message} or rejects with a Chinese reason. Shared by ticket and seat ratings. */
  function ratingForm(data, update, submit) {
    var box = el("div", "rating");
    if (data.done) {
      box.appendChild(el("p", "rating-done", data.done));
      return box;
    }
    var grades = el("div", "rating-grades");
    grades.setAttribute("role", "group");
    grades.setAttribute("aria-label", "评价");
    var reasonLabel = el("label", "rating-reason-label", "不满意的原因（必填）");
    var reason = el("textarea", "rating-reason");
    reason.rows = 2;
    reason.maxLength = 500;
    reason.id = "reason-" + Math.random().toString(36).slice(2);
    reasonLabel.htmlFor = reason.id;
    var send = el("button", "btn-primary rating-send", "提交评价");
    send.type = "button";
    var error = el("p", "rating-error");
    error.setAttribute("role", "alert");
    var reasonBox = el("div", "rating-reason-box");
    reasonBox.hidden = true;
    reasonBox.appendChild(reasonLabel);
    reasonBox.appendChild(reason);
    reasonBox.appendChild(send);

    function finish(rating, text) {
      error.textContent = "";
      submit(rating, text).then(function (result) {
        data.done = result.message;
        update();
        box.textContent = "";
        box.appendChild(el("p", "rating-done", result.message));
      }, function (why) {
        error.textContent = String(why && why.message ? why.message : why);
      });
    }
    [["satisfied", "满意"], ["basically_satisfied", "基本满意"], ["unsatisfied", "不满意"]].forEach(function (g) {
      var button = el("button", "quick-reply rating-grade", g[1]);
      button.type = "button";
      button.setAttribute("data-rating", g[0]);
      button.addEventListener("click", function () {
        if (g[0] === "unsatisfied") {
          reasonBox.hidden = false;
          reason.focus();
          send.scrollIntoView({ block: "nearest" });   // the box and its button, above the composer
          return;
        }
        finish(g[0], null);
      });
      grades.appendChild(button);
    });
    send.addEventListener("click", function () {
      if (!reason.value.trim()) {
        error.textContent = "请写下不满意的原因，以便改进。";
        reason.focus();
        error.scrollIntoView({ block: "nearest" });
        return;
      }
      finish("unsatisfied", reason.value.trim());
    });
    box.appendChild(grades);
    box.appendChild(reasonBox);
    box.appendChild(error);
    return box;
  }

  function postJson(url, body) {
    return window.fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (answer) {
        if (!r.ok) throw new Error(answer.message || "暂时无法提交，请稍后再试。");
        return answer;
      });
    }, function () { throw new Error("网络连接失败，请稍后再试。"); });
  }

  /* After a seat hands the conversation back (handoff_resumed). */
  chat.render("rate_seat", function (data, update) {
    var card = el("section", "card card-rating");
    card.appendChild(el("p", "card-title", "请评价刚才的人工服务"));
    card.appendChild(ratingForm(data, update, function (rating, reason) {
      return postJson("/my/seat-rating", { rating: rating, reason: reason });
    }));
    return card;
  });

  /* 常见问题: each question is sent as the citizen's own. */
  chat.render("faq", function (data) {
    var card = el("section", "card card-faq");
    card.appendChild(el("p", "card-title", "常见问题"));
    var list = el("div", "quick-replies");
    (data.questions || []).forEach(function (q) {
      var button = el("button", "quick-reply faq-question", q);
      button.type = "button";
      button.addEventListener("click", function () { chat.send(q); });
      list.appendChild(button);
    });
    card.appendChild(list);
    return card;
  });

  window.HotlineCards = { ratingForm: ratingForm, postJson: postJson, el: el };
})();
