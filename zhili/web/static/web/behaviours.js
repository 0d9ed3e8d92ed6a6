// Small page behaviours declared in the markup, so templates need no inline handlers
// (the Content-Security-Policy allows scripts from files only; see zhili/core/headers.py):
//   <form data-confirm="确定…?">          asks before submitting
//   <select data-autosubmit> / <input …>  submits its form when changed
//   <button data-print>                   prints the page
//   <button data-history-back>            goes back one page (the error pages)
//   <button data-dismiss>                 closes the alert it sits in
// and what HTMX answers leave to the browser. A form with errors comes back as its own
// fragment with a 4xx and is swapped in (web/base.html's htmx-config); the platform's error
// answers to an HTMX request put an alert into #page-alerts themselves (zhili/web/errors.py).
// What remains is shown here as an alert, never swapped into the form or row: a 5xx, a network
// failure, and an error that comes back as a whole page (Django's debug pages with DEBUG on,
// a proxy's page).
(function () {
  "use strict";
  var GENERIC = {
    400: ["请求无效", "请求的内容不完整或格式不正确，请检查后重试。"],
    403: ["无权操作", "您没有此操作的权限，或页面已过期，请刷新页面后重试。"],
    404: ["未找到", "该页面或记录不存在，或不在您的权限范围内，请刷新页面后重试。"],
    413: ["内容过大", "上传的文件或内容超过上限，请缩小后重试。"],
    429: ["操作过于频繁", "请稍后再试。"],
    500: ["系统暂时出现问题", "操作未能完成，请稍后重试；如问题持续存在，请联系系统管理员。"],
    0: ["网络连接失败", "操作未能完成，请检查网络连接后重试。"]
  };

  function showAlert(status) {
    var words = GENERIC[status] || GENERIC[status >= 500 ? 500 : 400];
    var box = document.getElementById("page-alerts");
    if (!box) { window.alert(words[0] + "：" + words[1]); return; }
    var alert = document.createElement("div");
    alert.className = "page-alert";
    alert.setAttribute("role", "alert");
    alert.setAttribute("data-testid", "page-alert");
    alert.setAttribute("data-status", String(status));
    var title = document.createElement("strong");
    title.textContent = words[0];
    var text = document.createElement("span");
    text.textContent = words[1];
    var close = document.createElement("button");
    close.type = "button";
    close.className = "page-alert-close";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "关闭");
    close.textContent = "×";
    alert.append(title, text, close);
    box.replaceChildren(alert);
  }

  function isWholePage(text) {
    return /^\s*(<!doctype|<html)/i.test(text || "");
  }

  // A user's next action clears the last alert; polling and live refreshes leave it.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig;
    var cause = config && config.triggeringEvent ? config.triggeringEvent.type : "";
    var box = document.getElementById("page-alerts");
    if (box && /^(submit|click|change)$/.test(cause)) box.replaceChildren();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status >= 400 && detail.shouldSwap && isWholePage(detail.serverResponse)) {
      detail.shouldSwap = false;
      showAlert(detail.xhr.status);
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    showAlert(event.detail.xhr.status);
  });
  document.addEventListener("htmx:sendError", function () { showAlert(0); });
  document.addEventListener("htmx:timeout", function () { showAlert(0); });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      if (field.form.requestSubmit) field.form.requestSubmit();
      else field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var element = event.target instanceof Element ? event.target : null;
    if (!element) return;
    if (element.closest("[data-print]")) window.print();
    if (element.closest("[data-history-back]")) window.history.back();
    var dismiss = element.closest("[data-dismiss]");
    if (dismiss && dismiss.closest(".page-alert")) dismiss.closest(".page-alert").remove();
  });
})();
