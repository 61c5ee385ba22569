/* 📷 Photos and short videos as evidence for the request being filled in: the camera or the album
 * (two file inputs: `capture` opens the camera directly on phones). Each file goes to POST /evidence
 * (the server checks its type by content and its size, settings/evidence.yml); the chat shows it as
 * a thumbnail, and the strip above the box lists what the request carries until the ticket is
 * opened (ticket_opened) or the request cancelled (draft_cancelled). The server attaches or
 * deletes the files on those same events; the page only follows.
 */
(function () {
  "use strict";

  var chat = window.HotlineChat;
  var el = window.HotlineCards.el;
  var $ = function (id) { return document.getElementById(id); };
  var PENDING_KEY = "hotline.webchat.evidence";    // the strip's items survive a reload
  var pending = load();

  function load() {
    try {
      var items = JSON.parse(window.localStorage.getItem(PENDING_KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (i) { return i && typeof i.url === "string"; }) : [];
    } catch (e) { return []; }
  }
  function save() {
    try { window.localStorage.setItem(PENDING_KEY, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  }

  /* A thumbnail: the server's copy (/evidence/<name>, this session's own) or the chosen file's blob. */
  function thumb(item, src) {
    var box = el("span", "thumb thumb-" + item.kind);
    var media = el(item.kind === "video" ? "video" : "img", "thumb-media");
    // Loaded pictures grow the conversation: keep its end in view.
    media.addEventListener(item.kind === "video" ? "loadedmetadata" : "load", function () { chat.scrollToEnd(); });
    media.src = src || item.url;
    if (item.kind === "video") { media.muted = true; media.preload = "metadata"; media.setAttribute("playsinline", ""); }
    else media.alt = "证据照片";
    box.appendChild(media);
    if (item.kind === "video") box.appendChild(el("span", "thumb-badge", "视频"));
    return box;
  }

  function showStrip() {
    var limit = (chat.config().evidence || {}).max_per_request || 9;
    $("evidence-pending").hidden = !pending.length;
    $("evidence-count").textContent = "已附 " + pending.length + " / " + limit + " 个文件，提交诉求时一并登记";
    var thumbs = $("evidence-thumbs");
    thumbs.textContent = "";
    pending.forEach(function (item) { thumbs.appendChild(thumb(item)); });
    $("evidence-bar").hidden = $("evidence-pending").hidden && $("evidence-choice").hidden;
  }

  chat.render("evidence", function (data) {
    var item = el("div", "msg user evidence-msg");
    var bubble = el("div", "bubble bubble-media");
    bubble.appendChild(thumb(data));
    item.appendChild(bubble);
    item.appendChild(el("span", "meta", data.kind === "video" ? "视频已上传" : "照片已上传"));
    return item;
  });

  /* The summary of the request (the summary_shown event follows its text): its photos beside it. */
  chat.render("evidence_summary", function (data) {
    var items = Array.isArray(data.items) ? data.items.filter(function (i) { return i && typeof i.url === "string"; }) : [];
    if (!items.length) return null;
    var item = el("div", "msg bot evidence-summary");
    var bubble = el("div", "bubble bubble-media");
    bubble.appendChild(el("p", "evidence-summary-title", "随诉求登记的照片和视频（" + items.length + "个）："));
    items.forEach(function (i) { bubble.appendChild(thumb(i)); });
    item.appendChild(bubble);
    return item;
  });
  chat.on("summary_shown", function () {
    if (pending.length) chat.addCard("evidence_summary", { items: pending.slice() });
  });

  function refuse(message) {
    chat.setError("evidence", message);
  }

  function upload(file) {
    var limits = chat.config().evidence || {};
    var video = /^video\//.test(file.type);
    var max = video ? limits.max_video_bytes : limits.max_image_bytes;
    // A quick check here saves a long upload; the server checks again, by content.
    if (max && file.size > max) { refuse(limits.too_big); return; }
    if (pending.length >= (limits.max_per_request || 9)) { refuse(limits.too_many); return; }
    chat.setError("evidence", null);
    $("evidence-count").textContent = "正在上传…";
    $("evidence-pending").hidden = false;
    window.fetch("/evidence", { method: "POST", credentials: "same-origin", body: file }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (answer) {
        if (!r.ok) throw new Error(answer.message || "上传失败，请稍后再试。");
        return answer;
      });
    }, function () { throw new Error("网络连接失败，文件没有上传，请稍后再试。"); }).then(function (answer) {
      var item = { url: answer.url, kind: answer.kind };
      pending.push(item);
      save();
      chat.addCard("evidence", item);
      showStrip();
    }, function (why) {
      refuse(why.message);
      showStrip();
    });
  }

  function chosen(input) {
    var file = input.files && input.files[0];
    input.value = "";                       // the same file may be chosen again later
    $("evidence-choice").hidden = true;
    showStrip();
    if (file) upload(file);
  }

  function clear() {
    pending = [];
    save();
    showStrip();
  }

  $("attach").addEventListener("click", function () {
    $("evidence-choice").hidden = false;
    $("evidence-bar").hidden = false;
  });
  $("evidence-cancel").addEventListener("click", function () { $("evidence-choice").hidden = true; showStrip(); });
  $("evidence-camera").addEventListener("change", function (e) { chosen(e.target); });
  $("evidence-album").addEventListener("change", function (e) { chosen(e.target); });
  chat.on("ticket_opened", clear);
  chat.on("draft_cancelled", clear);
  chat.on("ready", showStrip);
  chat.on("new_conversation", clear);
})();
