/* Phone numbers in the assistant's answers become tap-to-call links (tel:), built as DOM nodes:
 * the text around them stays text (never innerHTML), so nothing in an answer becomes markup.
 *
 * Recognised: mobiles (13812345678, 138 1234 5678, +86 138…), landlines with an area code
 * (0419-1234567, 024-12345678), and short service numbers (110, 119, 120, 122, 12345, 12315 …)
 * when they stand alone (not inside a longer run of digits such as a ticket number or a date).
 */
(function () {
  "use strict";

  var PHONE = /(?:\+86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}-\d{7,8}|1(?:10|19|20|22|23\d\d)/g;
  var DIGIT = /[0-9]/;
  // "罚款120元", "第110号": a short number followed by a unit is an amount, not a phone.
  var UNIT_AFTER = /^[元米分天个号人平公斤年月日岁次%万千百块克秒小周期栋楼层室路条家所辆件.]/;

  function standsAlone(text, start, end) {
    return !DIGIT.test(text.charAt(start - 1) || "") && !DIGIT.test(text.charAt(end) || "") &&
      text.charAt(start - 1) !== "-" && text.charAt(end) !== "-";
  }

  function link(number) {
    var a = document.createElement("a");
    a.className = "tel";
    a.href = "tel:" + number.replace(/[^0-9+]/g, "");
    a.textContent = number;
    return a;
  }

  /* A fragment of text nodes and tel: links for `text`. */
  function fragment(text) {
    var out = document.createDocumentFragment();
    var last = 0;
    var match;
    PHONE.lastIndex = 0;
    while ((match = PHONE.exec(text)) !== null) {
      var start = match.index, end = start + match[0].length;
      if (!standsAlone(text, start, end)) continue;
      if (match[0].length <= 5 && UNIT_AFTER.test(text.slice(end))) continue;
      if (start > last) out.appendChild(document.createTextNode(text.slice(last, start)));
      out.appendChild(link(match[0]));
      last = end;
    }
    if (last < text.length) out.appendChild(document.createTextNode(text.slice(last)));
    return out;
  }

  window.HotlinePhones = { fragment: fragment };
})();
