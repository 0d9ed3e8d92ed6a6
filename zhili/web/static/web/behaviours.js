// Small page behaviours declared in the markup, so templates need no inline handlers
// (the Content-Security-Policy allows scripts from files only; see zhili/core/headers.py):
//   <form data-confirm="确定…?">          asks before submitting
//   <select data-autosubmit> / <input …>  submits its form when changed
//   <button data-print>                   prints the page
(function () {
  "use strict";
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
    var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (target) window.print();
  });
})();
