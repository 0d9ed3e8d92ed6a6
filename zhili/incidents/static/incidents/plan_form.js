// The plan editor: "添加步骤" appends a blank step row (the formset's empty form, its
// __prefix__ replaced by the next index) and counts it in the formset's TOTAL_FORMS.
(function () {
  "use strict";
  const rows = document.getElementById("plan-step-rows");
  const template = document.getElementById("plan-step-template");
  const add = document.getElementById("plan-step-add");
  const total = document.querySelector("input[name='steps-TOTAL_FORMS']");
  const max = document.querySelector("input[name='steps-MAX_NUM_FORMS']");
  if (!rows || !template || !add || !total) return;

  function renumber() {
    rows.querySelectorAll(".step-number").forEach(function (cell, index) {
      cell.textContent = String(index + 1);
    });
  }

  add.addEventListener("click", function () {
    const index = Number(total.value);
    if (max && index >= Number(max.value)) {
      add.disabled = true;
      return;
    }
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    renumber();
    const first = rows.lastElementChild && rows.lastElementChild.querySelector("select");
    if (first) first.focus();
  });
  renumber();
})();
