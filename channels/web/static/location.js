/* 📍 the place of the matter: the browser's position, asked only when the citizen taps 📍 and
 * agrees to the line that says what it is for. The coordinates ride with every message of the
 * request being filled in (customData.coordinates; the server checks them) until the ticket is
 * opened or the request cancelled; the box gets a readable line the citizen can edit and send.
 * Typing the place is always possible instead.
 */
(function () {
  "use strict";

  var chat = window.HotlineChat;
  var $ = function (id) { return document.getElementById(id); };
  var bar = $("location-bar"), consent = $("location-consent"), chip = $("location-chip");

  function show(part) {
    consent.hidden = part !== "consent";
    chip.hidden = part !== "chip";
    bar.hidden = !part;
  }

  function clear() {
    chat.setExtra("coordinates", null);
    show(null);
  }

  function failed(error) {
    var why = error && error.code === 1
      ? "没有获得定位权限。可以在浏览器设置中允许本页使用位置，或直接输入地点（如“人民路88号附近”）。"
      : "暂时无法获取位置。请直接输入地点，例如“人民路88号附近”。";
    show(null);
    chat.setError("location", why);
    chat.focusInput();
  }

  function located(position) {
    var c = position.coords;
    var coordinates = { lat: c.latitude, lon: c.longitude, accuracy: Math.round(c.accuracy || 0) };
    chat.setExtra("coordinates", coordinates);
    chat.setError("location", null);
    var where = "北纬" + c.latitude.toFixed(5) + "，东经" + c.longitude.toFixed(5);
    $("location-text").textContent = "已附上当前位置（误差约" + coordinates.accuracy + "米）";
    $("location-text").title = where;
    show("chip");
    chat.setInput("我在这个位置附近（" + where + "），具体地点是：");
  }

  function locate() {
    show(null);
    if (!navigator.geolocation) { failed(null); return; }
    navigator.geolocation.getCurrentPosition(located, failed, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  $("locate").addEventListener("click", function () { show("consent"); $("location-allow").focus(); });
  $("location-allow").addEventListener("click", locate);
  $("location-deny").addEventListener("click", function () { show(null); chat.focusInput(); });
  $("location-remove").addEventListener("click", clear);
  chat.on("ticket_opened", clear);
  chat.on("draft_cancelled", clear);
  chat.on("new_conversation", clear);
})();
