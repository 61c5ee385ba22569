/* 承办人工作台 (the department handlers' work list): being built; registered so the nav shows it. */
(function () {
  "use strict";
  Portal.register({ id: "worklist", title: "承办人工作台", roles: ["handler", "office", "seat", "readonly"], order: 20,
    render: function (container, ctx) { container.appendChild(ctx.el("p", { class: "portal-empty" }, "工单列表加载中……")); } });
})();
