/* 12345 seat console: the queue, one conversation at a time, quick answers and the ticket.
 *
 * Talks only to its own server (/seats/api/..., Bearer staff token kept in sessionStorage; the
 * token, the login form and the calls are staff.js's, shared with the dispatch page) and
 * polls: the queue every poll_queue_ms, the open conversation every poll_conversation_ms.
 * Everything a citizen or the assistant wrote is rendered with textContent, never as markup.
 */
(function () {
  "use strict";

  var LONG_WAIT_SECONDS = 180;
  var $ = function (id) { return document.getElementById(id); };

  var TITLE = document.title;
  var state = {
    me: null, queue: null, queueAt: 0, selected: null, conversation: null,
    transcriptKey: "", formFor: null, timers: [], kbTimer: null, kbAsked: "", busy: false,
    // Alerts: waiting entries and citizen message counts already seen; unread per held conversation.
    seenWaiting: null, seenCounts: {}, unread: {}, newInQueue: 0, audio: null, outcomeFor: null,
    prefilled: {}
  };

  /* ---------- server ---------- */

  // Token, login form and calls: shared with the dispatch page (staff.js).
  var session = HotlineStaff.session("/seats/api", function (message) { signOut(message); });
  var api = session.api;

  /* ---------- small helpers ---------- */

  var el = HotlineStaff.el;
  function clock(ts) {
    if (!ts) return "";
    var d = typeof ts === "number" ? new Date(ts * 1000) : new Date(ts);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }
  function duration(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return (m ? m + "分" : "") + (s < 10 && m ? "0" : "") + s + "秒";
  }
  function banner(message, ok) { HotlineStaff.banner(message, ok, 5000); }
  function stopTimers() {
    state.timers.forEach(function (t) { clearInterval(t); });
    state.timers = [];
  }

  /* ---------- alerts: a short beep and the tab's title ---------- */

  /* Browsers let a page play sound only after a user gesture: the context is made (or resumed)
     on the seat's clicks and key presses, then reused. The beep is synthesised, no audio file. */
  function unlockAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    if (!state.audio) { try { state.audio = new Context(); } catch (e) { return; } }
    if (state.audio.state === "suspended") state.audio.resume();
  }

  function beep() {
    var ctx = state.audio;
    if (!ctx) return;
    var osc = ctx.createOscillator(), gain = ctx.createGain(), t = ctx.currentTime;
    osc.type = "sine";
    osc.frequency.setValueAtTime(880, t);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.25);
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.3);
  }

  function looking() { return !document.hidden && document.hasFocus(); }

  function updateTitle() {
    var unread = 0;
    Object.keys(state.unread).forEach(function (id) { unread += state.unread[id]; });
    var parts = [];
    if (unread) parts.push(unread + "条新消息");
    if (state.newInQueue) parts.push(state.newInQueue + "位新排队");
    document.title = parts.length ? "【" + parts.join("，") + "】" + TITLE : TITLE;
  }

  /* Compare the queue with what was seen: a citizen newly waiting, or a new message in one of the
     seat's own conversations (unread unless the seat is looking at that conversation). */
  function noticeNews(q) {
    var fresh = 0, waitingIds = {};
    q.waiting.forEach(function (e) {
      waitingIds[e.id] = true;
      if (state.seenWaiting && !state.seenWaiting[e.id]) fresh++;
    });
    state.seenWaiting = waitingIds;
    var messages = 0;
    q.taken.filter(function (e) { return e.mine && e.citizen_messages !== null; }).forEach(function (e) {
      var seen = state.seenCounts[e.id];
      state.seenCounts[e.id] = e.citizen_messages;
      if (seen === undefined || e.citizen_messages <= seen) return;
      messages += e.citizen_messages - seen;
      if (!(state.selected === e.id && looking())) state.unread[e.id] = (state.unread[e.id] || 0) + e.citizen_messages - seen;
    });
    if (!looking()) state.newInQueue += fresh;
    if (fresh || messages) beep();
    updateTitle();
  }

  /* The seat is back (the tab shown, the window focused) or touching the page: the conversation on
     screen is read and the queue has been seen. */
  function markRead(event) {
    var touched = event && (event.type === "pointerdown" || event.type === "keydown");
    if (!touched && !looking()) return;
    if (state.selected) {
      delete state.unread[state.selected];
      // Only the badge goes: re-rendering the cards under a pointer would swallow the seat's click.
      var badge = document.querySelector('.card[data-entry="' + state.selected + '"] .unread');
      if (badge) badge.parentNode.removeChild(badge);
    }
    state.newInQueue = 0;
    updateTitle();
  }

  /* ---------- the seat's day ---------- */

  function refreshToday() {
    if (!state.me || !state.me.can_take) return Promise.resolve();
    return api("GET", "/me/today").then(function (t) {
      var node = $("today");
      node.textContent = "今日：已处理 " + t.handled + " 个 · 平均用时 " +
        (t.average_seconds === null ? "—" : duration(t.average_seconds)) +
        t.outcomes.filter(function (o) { return o.count; }).map(function (o) { return " · " + o.label + " " + o.count; }).join("");
      node.hidden = false;
    }, function () { /* figures are a convenience: the queue's own banner reports a broken server */ });
  }

  /* ---------- signing in and out ---------- */

  function signIn(token) {
    session.token = token;
    return api("GET", "/me").then(function (me) {
      state.me = me;
      session.keep();
      $("seat-name").textContent = me.name;
      $("seat-role").textContent = me.role_label + (me.can_take ? "" : "（只能查看）");
      $("whoami").hidden = false;
      $("login").hidden = true;
      $("desk").hidden = false;
      startPolling();
      refreshToday();
    });
  }

  function signOut(message) {
    stopTimers();
    session.forget(); state.me = null; state.selected = null; state.conversation = null;
    state.seenWaiting = null; state.seenCounts = {}; state.unread = {}; state.newInQueue = 0;
    $("today").hidden = true;
    updateTitle();
    $("whoami").hidden = true;
    $("desk").hidden = true;
    $("side").hidden = true;
    $("conv").hidden = true;
    $("conv-none").hidden = false;
    HotlineStaff.showLogin(message);
  }

  function startPolling() {
    stopTimers();
    refreshQueue();
    state.timers.push(setInterval(refreshQueue, state.me.poll_queue_ms || 2000));
    state.timers.push(setInterval(refreshConversation, state.me.poll_conversation_ms || 1500));
    state.timers.push(setInterval(tickWaits, 1000));
    state.timers.push(setInterval(refreshToday, 30000));
  }

  /* ---------- the queue ---------- */

  function refreshQueue() {
    return api("GET", "/queue").then(function (queue) {
      state.queue = queue;
      state.queueAt = Date.now();
      noticeNews(queue);
      renderQueue();
    }, function (error) { banner("队列刷新失败：" + error.message); });
  }

  function renderQueue() {
    var q = state.queue;
    $("hours").textContent = "人工服务时间：" + q.hours + (q.open ? "（服务中）" : "（现在不在服务时间）");
    var mine = q.taken.filter(function (e) { return e.mine; });
    var others = q.taken.filter(function (e) { return !e.mine; });
    renderCards($("mine-list"), mine, false);
    renderCards($("waiting-list"), q.waiting, true);
    renderCards($("taken-list"), others, false);
    $("mine-count").textContent = mine.length;
    $("waiting-count").textContent = q.waiting.length;
    $("taken-count").textContent = others.length;
    $("mine-empty").hidden = mine.length > 0;
    $("queue-empty").hidden = q.waiting.length > 0;
    $("taken-empty").hidden = others.length > 0;
    if (!state.selected) {
      var mine = q.taken.filter(function (e) { return e.mine; })[0];
      if (mine) select(mine.id);
    }
  }

  /* A card whose content did not change is kept, not rebuilt: a card replaced between the seat's
     pointer going down and up swallows the click (the queue is polled every two seconds). */
  function renderCards(list, entries, waiting) {
    var kept = {}, current = Array.prototype.slice.call(list.children);
    current.forEach(function (node) { kept[node.getAttribute("data-key")] = node; });
    var nodes = entries.map(function (entry) {
      var key = JSON.stringify([entry.id, entry.position, entry.status, entry.taken_by, entry.first_words,
                                state.unread[entry.id] || 0, state.selected === entry.id, waiting]);
      var node = kept[key] || card(entry, waiting);
      node.setAttribute("data-key", key);
      node.querySelector(".card-wait").setAttribute("data-seconds", waiting ? entry.waited_seconds : (entry.taken_seconds || 0));
      return node;
    });
    var same = nodes.length === current.length && nodes.every(function (node, i) { return node === current[i]; });
    if (!same) {
      list.textContent = "";
      nodes.forEach(function (node) { list.appendChild(node); });
    }
    tickWaits();
  }

  function card(entry, waiting) {
    var item = el("li", "card reason-" + entry.reason + (entry.mine ? " mine" : "") +
                  (state.selected === entry.id ? " selected" : ""));
    item.setAttribute("data-entry", entry.id);
    item.setAttribute("data-sender", entry.sender_id);
    item.tabIndex = 0;
    // What a busy seat scans for: channel and place or holder, how long, then the citizen's words.
    var top = el("div", "card-top");
    var head = el("span", "card-who");
    head.appendChild(el("span", "tag " + entry.channel, entry.channel_label));
    head.appendChild(document.createTextNode(waiting ? "第" + entry.position + "位"
                                             : entry.mine ? "您正在接待" : entry.taken_by + " 接待中"));
    if (state.unread[entry.id]) {
      var badge = el("span", "unread", String(state.unread[entry.id]));
      badge.title = state.unread[entry.id] + "条新消息";
      head.appendChild(badge);
    }
    top.appendChild(head);
    var since = waiting ? entry.waited_seconds : (entry.taken_seconds || 0);
    var wait = el("span", "card-wait", (waiting ? "已等 " : "接待 ") + duration(since));
    wait.setAttribute("data-seconds", since);
    wait.setAttribute("data-label", waiting ? "已等 " : "接待 ");
    wait.setAttribute("data-alarm", waiting ? "1" : "");
    top.appendChild(wait);
    item.appendChild(top);
    if (entry.first_words) item.appendChild(el("p", "card-words", "“" + entry.first_words + "”"));
    item.appendChild(el("p", "card-reason", "转人工原因：" + entry.reason_label));
    if (entry.matched && entry.matched.length) item.appendChild(el("p", "card-matched", "触发词：" + entry.matched.join("、")));
    item.appendChild(el("p", "card-id", entry.who));
    if (waiting && state.me.can_take) {
      var take = el("button", "btn-primary", "接待");
      take.type = "button";
      take.setAttribute("aria-label", "接待 " + entry.who);
      take.addEventListener("click", function (e) { e.stopPropagation(); claim(entry.id); });
      item.appendChild(take);
    }
    item.addEventListener("click", function () { select(entry.id); });
    item.addEventListener("keydown", function (e) { if (e.key === "Enter") select(entry.id); });
    return item;
  }

  function tickWaits() {
    if (!state.queue) return;
    var extra = (Date.now() - state.queueAt) / 1000;
    var nodes = document.querySelectorAll(".card-wait");
    for (var i = 0; i < nodes.length; i++) {
      var seconds = Number(nodes[i].getAttribute("data-seconds")) + extra;
      nodes[i].textContent = nodes[i].getAttribute("data-label") + duration(seconds);
      nodes[i].classList.toggle("long", !!nodes[i].getAttribute("data-alarm") && seconds >= LONG_WAIT_SECONDS);
    }
  }

  /* ---------- one conversation ---------- */

  function select(entryId) {
    if (state.selected !== entryId) {
      state.selected = entryId;
      state.transcriptKey = "";
      state.formFor = null;
      state.outcomeFor = null;
      delete state.unread[entryId];
      updateTitle();
      var badge = document.querySelector('.card[data-entry="' + entryId + '"] .unread');
      if (badge) badge.parentNode.removeChild(badge);
      $("reply-state").textContent = "";
      $("ticket-state").textContent = "";
    }
    var cards = document.querySelectorAll(".card");
    for (var i = 0; i < cards.length; i++) {
      cards[i].classList.toggle("selected", Number(cards[i].getAttribute("data-entry")) === entryId);
    }
    return refreshConversation();
  }

  function refreshConversation() {
    var id = state.selected;
    if (!id) return Promise.resolve();
    return api("GET", "/conversations/" + id).then(function (data) {
      if (state.selected !== id) return;
      state.conversation = data;
      renderConversation(data);
    }, function (error) { if (state.selected === id) setStatus("读取对话失败：" + error.message, "warn"); });
  }

  function setStatus(text, kind) {
    var s = $("conv-status");
    s.textContent = text;
    s.className = "conv-status" + (kind ? " " + kind : "");
  }

  function renderConversation(data) {
    var entry = data.entry, u = data.understanding;
    $("conv-none").hidden = true;
    $("conv").hidden = false;
    $("side").hidden = false;
    $("conv-title").textContent = entry.who;
    $("conv-meta").textContent = entry.channel_label + " · " + entry.reason_label +
      (entry.matched.length ? "（" + entry.matched.join("、") + "）" : "") + " · " + entry.status_label;
    var waitingNow = entry.status === "waiting";
    $("claim").hidden = !(waitingNow && state.me.can_take);
    $("release").hidden = !data.can_write;
    $("handback").hidden = !data.can_write;
    if (data.can_write) {
      setStatus(u.paused ? "您正在接待这位市民，智能助手已暂停。您的回复会直接发给市民。"
                         : "注意：智能助手没有暂停（会话可能已超时重开），市民可能同时收到助手的回复。", u.paused ? "mine" : "warn");
    } else if (waitingNow) {
      setStatus(state.me.can_take ? "这位市民正在排队，点“接待这位市民”开始人工服务。" : "这位市民正在排队。您的账号只能查看。");
    } else if (entry.status === "taken") {
      setStatus("这位市民正由 " + entry.taken_by + " 接待，您只能查看。", "warn");
    } else {
      setStatus({ handed_back: "人工服务已结束，这个对话已交回智能助手。",
                  expired: "这位市民等候超时，智能助手已接回并提示登记工单。" }[entry.status] || entry.status_label);
    }
    setReplyEnabled(data.can_write, entry.status === "taken" && !entry.mine ? "这位市民正由 " + entry.taken_by + " 接待，您不能回复。"
                                    : waitingNow ? "接待这位市民后才能回复。" : "这个对话已结束人工服务，不能再回复。");
    renderTranscript(data.transcript);
    renderUnderstanding(u);
    renderTickets(data);
    renderOutcome(data);
    if (state.formFor !== entry.id) {
      fillTicketForm(data);
      state.formFor = entry.id;
      state.lastCitizen = null;
    } else {
      followFacts(data.ticket_form);
    }
    suggestFor(data.transcript);
  }

  function setReplyEnabled(on, why) {
    $("reply-text").disabled = !on;
    $("send").disabled = !on;
    $("ticket-submit").disabled = !on;
    $("reply-text").placeholder = on ? "输入回复，按回车发送（Shift+回车换行）。可从右侧“快捷回复”填入知识库答案。" : why;
  }

  function renderTranscript(items) {
    var last = items[items.length - 1];
    var key = items.length + ":" + (last ? last.at + last.text : "");
    if (key === state.transcriptKey) return;
    var first = !state.transcriptKey;
    state.transcriptKey = key;
    var box = $("transcript");
    var stick = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.textContent = "";
    items.forEach(function (item) { box.appendChild(line(item)); });
    if (stick || first) box.scrollTop = box.scrollHeight;   // a seat reading further up stays there
  }

  function line(item) {
    if (item.role === "note") return el("p", "note", clock(item.at) + " " + item.text);
    var node = el("div", "line " + item.role);
    var who = item.role === "citizen" ? "市民" : item.role === "seat" ? "人工客服 " + item.seat : "智能助手";
    node.appendChild(el("span", "who", who + " · " + clock(item.at)));
    node.appendChild(el("div", "bubble", item.text));
    if (item.buttons && item.buttons.length) node.appendChild(el("span", "buttons", "按钮：" + item.buttons.join(" / ")));
    if (item.suspected) node.appendChild(el("span", "suspect", "⚠ " + item.suspected));
    if (item.role === "citizen" && item.intent) {
      var tag = el("span", "intent" + (item.escalation ? " alert" : ""), "助手理解为：" + (item.intent_label || item.intent) +
                   "（" + Math.round(item.confidence * 100) + "%）");
      if (item.escalation) tag.textContent += " · 触发转人工：" + item.escalation.matched.join("、");
      node.appendChild(tag);
    }
    return node;
  }

  function renderUnderstanding(u) {
    var dl = $("understood");
    dl.textContent = "";
    var add = function (term, value, alert) {
      dl.appendChild(el("dt", null, term));
      var dd = el("dd", alert ? "alert-text" : null);
      if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
      dl.appendChild(dd);
    };
    renderSuspected(u.suspected || []);
    add("诉求类型", u.request_type_label);
    add("已对市民提示", u.screening.length ? u.screening.join("；") : "未发现紧急或不予受理情形", u.screening.length > 0);
    if (u.suspected && u.suspected.length) {
      add("疑似未提示", u.suspected.map(function (s) { return s.label; }).join("；"), true);
    }
    if (u.form_running) add("正在登记", "助手正在收集登记信息，交回后会接着问");
    if (!u.facts.length) add("已收集", "暂无");
    u.facts.forEach(function (f) {
      add(f.label, f.value === true ? "是" : f.value === false ? "否" : String(f.value));
    });
    if (u.knowledge.length) {
      var box = document.createElement("div");
      u.knowledge.forEach(function (k) {
        var outcome = { answered: "已回答", offered: "给出了候选问题", none: "没有找到" }[k.outcome] || "";
        var p = el("p", "kb-try", "问：" + (k.question || "") + " → " + outcome +
                   (k.offered.length ? "（" + k.offered.join("、") + "）" : ""));
        box.appendChild(p);
      });
      add("知识库", box);
    } else {
      add("知识库", "未查询");
    }
  }

  /* While the seat holds the conversation the assistant is silent: a message the NLU reads as an
     emergency got no advice from anyone yet. That is the seat's to say, so it is shouted here. */
  function renderSuspected(list) {
    var box = $("suspected");
    box.textContent = "";
    box.hidden = !list.length;
    list.forEach(function (s) {
      var p = el("p");
      p.appendChild(el("strong", null, "⚠ " + s.label));
      p.appendChild(document.createTextNode("市民在人工接待中说：“" + s.text + "”（" + clock(s.at) + "）。智能助手已暂停，" +
        (s.emergency ? "没有提示市民拨打紧急电话，请您立即确认并告知。" : "没有告知市民，请您核实后处理。")));
      box.appendChild(p);
    });
  }

  function renderOutcome(data) {
    var form = $("outcome-form"), select = $("outcome");
    form.hidden = !data.can_mark;
    if (!data.can_mark) return;
    if (select.options.length <= 1) {
      data.outcomes.forEach(function (o) {
        var option = el("option", null, o.label);
        option.value = o.value;
        select.appendChild(option);
      });
    }
    if (state.outcomeFor === data.entry.id) return;   // the seat may be choosing: do not reset
    state.outcomeFor = data.entry.id;
    select.value = data.outcome ? data.outcome.value : "";
    $("outcome-note").value = data.outcome ? data.outcome.note : "";
    $("outcome-state").textContent = data.outcome ? "已标记：" + data.outcome.label : "";
    $("outcome-state").className = "outcome-state";
  }

  function saveOutcome() {
    var out = $("outcome-state");
    if (!$("outcome").value) { out.textContent = "请先选择处理结果"; out.className = "outcome-state error"; return; }
    api("POST", "/conversations/" + state.selected + "/outcome",
        { outcome: $("outcome").value, note: $("outcome-note").value }).then(function (marked) {
      out.textContent = "已标记：" + marked.label;
      out.className = "outcome-state";
      refreshToday();
    }, function (error) {
      out.textContent = "没有保存：" + error.message;
      out.className = "outcome-state error";
    });
  }

  function renderTickets(data) {
    var list = $("tickets");
    list.textContent = "";
    $("tickets-title").hidden = !data.tickets.length;
    data.tickets.forEach(function (t) {
      list.appendChild(el("li", null, t.number + " · " + t.type_label + " · " + t.text));
    });
    var mine = data.entry.ticket_number;
    // Short, so that the result fits beside it; the number is in the result and the list above.
    $("ticket-submit").textContent = mine ? "更新工单" : "登记工单";
    $("ticket-submit").title = mine ? "更新工单 " + mine : "";
  }

  var FACT_FIELDS = { location: "t-location", event_time: "t-time", contact_name: "t-name", contact_phone: "t-phone" };

  /* Facts the citizen states later (「在人民路88号，我姓周」) go into the form as they come, but
     never over what the seat typed: a field is only filled while empty or still as last filled. */
  function followFacts(form) {
    Object.keys(FACT_FIELDS).forEach(function (key) {
      var input = $(FACT_FIELDS[key]), value = form[key] || "";
      if (!value || input === document.activeElement || input.value === value) return;
      if (input.value === "" || input.value === state.prefilled[key]) {
        input.value = value;
        state.prefilled[key] = value;
        input.classList.add("auto-filled");
      }
    });
  }

  function fillTicketForm(data) {
    var f = data.ticket_form, select = $("t-type");
    if (select.options.length <= 1) {
      data.request_types.forEach(function (t) {
        var o = el("option", null, t.label);
        o.value = t.value;
        select.appendChild(o);
      });
    }
    select.value = f.request_type || "";
    $("t-text").value = f.text || "";
    $("t-location").value = f.location || "";
    $("t-time").value = f.event_time || "";
    $("t-party").value = f.involved_party || "";
    $("t-name").value = f.contact_name || "";
    $("t-phone").value = f.contact_phone || "";
    state.prefilled = {};
    Object.keys(FACT_FIELDS).forEach(function (key) {
      state.prefilled[key] = f[key] || "";
      $(FACT_FIELDS[key]).classList.toggle("auto-filled", !!f[key]);
    });
    $("t-anonymous").checked = !!f.anonymous;
    $("t-consent").checked = !!f.consent;
    $("t-callback").checked = !!f.callback;
  }

  /* ---------- acting ---------- */

  function claim(entryId) {
    if (state.busy) return;
    state.busy = true;
    api("POST", "/queue/" + entryId + "/claim").then(function (result) {
      banner(result.warning || "已接待，智能助手已暂停。", !result.warning);
      return refreshQueue().then(function () { return select(entryId); });
    }, function (error) {
      banner(error.message);
      refreshQueue();
    }).then(function () { state.busy = false; $("reply-text").focus(); });
  }

  function send() {
    var box = $("reply-text"), text = box.value.trim();
    if (!text || !state.selected) return;
    var state_ = $("reply-state");
    state_.textContent = "正在发送…";
    state_.className = "reply-state";
    $("send").disabled = true;
    api("POST", "/conversations/" + state.selected + "/messages", { text: text }).then(function () {
      box.value = "";
      state_.textContent = "已发送 " + clock(Date.now() / 1000);
      return refreshConversation();
    }, function (error) {
      state_.textContent = "没有发出：" + error.message;
      state_.className = "reply-state error";
    }).then(function () { $("send").disabled = !(state.conversation && state.conversation.can_write); box.focus(); });
  }

  function handBack() {
    if (!state.selected || !window.confirm("结束人工服务，交回智能助手继续？")) return;
    api("POST", "/conversations/" + state.selected + "/handback").then(function (result) {
      banner(result.warning || "已交回智能助手。", !result.warning);
      refreshQueue();
      refreshToday();
      return refreshConversation();
    }, function (error) { banner(error.message); });
  }

  function release() {
    if (!state.selected) return;
    api("POST", "/conversations/" + state.selected + "/release").then(function () {
      banner("已放回队列，其他坐席可以接待。", true);
      refreshQueue();
      return refreshConversation();
    }, function (error) { banner(error.message); });
  }

  function submitTicket() {
    var out = $("ticket-state");
    var body = {
      request_type: $("t-type").value, text: $("t-text").value, location: $("t-location").value,
      event_time: $("t-time").value, involved_party: $("t-party").value, contact_name: $("t-name").value,
      contact_phone: $("t-phone").value, anonymous: $("t-anonymous").checked, consent: $("t-consent").checked,
      callback: $("t-callback").checked, tell_citizen: $("t-tell").checked
    };
    out.textContent = "正在提交…";
    out.className = "form-state";
    api("POST", "/conversations/" + state.selected + "/ticket", body).then(function (made) {
      out.textContent = (made.created ? "已登记" : "已更新") + made.type_label + "工单 " + made.number +
        "，答复期限 " + made.deadline + "，承办部门：" + (made.department || "待派单时确定") +
        (made.warning ? "。" + made.warning : "");
      out.className = made.warning ? "form-state error" : "form-state ok";
      // The ticket list above the form grows: keep the result where the seat is looking.
      return refreshConversation().then(function () { out.scrollIntoView({ block: "nearest" }); });
    }, function (error) {
      out.textContent = "没有登记：" + error.message;
      out.className = "form-state error";
    });
  }

  /* ---------- quick answers ---------- */

  /* The citizen's latest words are looked up by themselves, unless the seat is typing a query. */
  function suggestFor(items) {
    var said = items.filter(function (t) { return t.role === "citizen" && t.text.charAt(0) !== "/"; });
    var last = said.length ? said[said.length - 1] : null;
    if (!last || state.lastCitizen === last.at + last.text) return;
    state.lastCitizen = last.at + last.text;
    if (document.activeElement !== $("kb-query")) searchKb(last.text, true, true);
  }

  function searchKb(text, immediate, automatic) {
    $("kb-query").value = text;
    clearTimeout(state.kbTimer);
    state.kbTimer = setTimeout(function () { askKb(text, automatic); }, immediate ? 0 : 350);
  }

  /* automatic: the citizen's latest words, which the server looks up only when they ask something. */
  function askKb(text, automatic) {
    text = (text || "").trim();
    if (!text || text === state.kbAsked) return;
    state.kbAsked = text;
    $("kb-state").textContent = "正在查找…";
    api("GET", "/quick-answers?q=" + encodeURIComponent(text) + (automatic ? "&auto=1" : "")).then(function (result) {
      if (state.kbAsked !== text) return;
      if (result.skipped) {
        $("kb-state").textContent = result.message;
        renderHits([]);
        return;
      }
      if (!result.ready) {
        $("kb-state").textContent = result.message || "知识库正在加载，请稍候。";
        state.kbAsked = "";
        setTimeout(function () { askKb($("kb-query").value, automatic); }, 2000);
        return;
      }
      $("kb-state").textContent = result.hits.length ? "点“填入回复”把答案放进回复框，可修改后发送。"
                                                     : "知识库里没有足够相近的答案，可换个关键词。";
      renderHits(result.hits);
    }, function (error) { $("kb-state").textContent = "查找失败：" + error.message; state.kbAsked = ""; });
  }

  function renderHits(hits) {
    var list = $("kb-hits");
    list.textContent = "";
    hits.forEach(function (hit) {
      var item = el("li", "kb-hit");
      item.appendChild(el("p", "q", hit.question));
      item.appendChild(el("p", "a", hit.answer));
      item.appendChild(el("p", "d", hit.department + (hit.phone ? " · " + hit.phone : "") + " · 相似度 " + hit.score));
      var use = el("button", "btn-secondary", "填入回复");
      use.type = "button";
      use.addEventListener("click", function () {
        var box = $("reply-text");
        if (box.disabled) { banner("请先接待这位市民，再回复。"); return; }
        box.value = hit.answer + (hit.phone ? "（" + hit.department + "，电话 " + hit.phone + "）" : "");
        box.focus();
      });
      item.appendChild(use);
      list.appendChild(item);
    });
  }

  /* ---------- wiring ---------- */

  function bind() {
    $("logout").addEventListener("click", function () { signOut(""); });
    $("claim").addEventListener("click", function () { if (state.selected) claim(state.selected); });
    $("release").addEventListener("click", release);
    $("handback").addEventListener("click", handBack);
    $("reply").addEventListener("submit", function (e) { e.preventDefault(); send(); });
    $("reply-text").addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); send(); }
    });
    $("kb-query").addEventListener("input", function () { searchKb($("kb-query").value, false); });
    $("ticket-form").addEventListener("submit", function (e) { e.preventDefault(); submitTicket(); });
    $("outcome-form").addEventListener("submit", function (e) { e.preventDefault(); saveOutcome(); });
    // Sound needs a gesture first; reading the new messages clears the tab's alert.
    ["pointerdown", "keydown"].forEach(function (type) {
      document.addEventListener(type, function (e) { unlockAudio(); if (state.queue) markRead(e); }, true);
    });
    document.addEventListener("visibilitychange", markRead);
    window.addEventListener("focus", markRead);
  }

  function start() {
    bind();
    HotlineStaff.startLogin(signIn, signOut);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
