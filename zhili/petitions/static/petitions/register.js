// The registration page: "再加一人" copies the last person row, empty, with the next index
// (the 代表 checkbox carries the row's index, so that the server knows which rows it marks).
(function () {
  const button = document.getElementById("add-person");
  const rows = document.getElementById("person-rows");
  if (!button || !rows) return;
  button.addEventListener("click", function () {
    const last = rows.querySelector("tr.person-row:last-child");
    const copy = last.cloneNode(true);
    const index = rows.querySelectorAll("tr.person-row").length;
    copy.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox") {
        input.checked = false;
        input.value = String(index);
      } else {
        input.value = "";
      }
      const id = input.getAttribute("data-testid");
      if (id) input.setAttribute("data-testid", id.replace(/-\d+$/, "-" + index));
    });
    rows.appendChild(copy);
    copy.querySelector("input[name=person_name]").focus();
  });
})();

// The routes of the law (检举控告 → 纪检监察, 涉法涉诉 → 政法): the one the chosen type or
// category takes is marked, so the officer sees where the petition will be transferred.
(function () {
  const kind = document.querySelector("select[name=kind]");
  const category = document.querySelector("select[name=category]");
  const routes = document.querySelectorAll("[data-route]");
  if (!kind || !category || !routes.length) return;
  function mark() {
    let found = false;
    routes.forEach(function (item) {
      const on =
        !found &&
        (!item.dataset.kind || item.dataset.kind === kind.value) &&
        (!item.dataset.category || item.dataset.category === category.value);
      item.classList.toggle("route-on", on);
      found = found || on;
    });
  }
  kind.addEventListener("change", mark);
  category.addEventListener("change", mark);
  mark();
})();

// An anonymous letter names nobody: the person rows are switched off while it is ticked
// (disabled inputs are not sent, so nothing typed there is registered by mistake).
(function () {
  const anonymous = document.querySelector("input[name=is_anonymous]");
  const table = document.querySelector("[data-testid=person-table]");
  const add = document.getElementById("add-person");
  if (!anonymous || !table) return;
  function apply() {
    table.querySelectorAll("input").forEach(function (input) {
      input.disabled = anonymous.checked;
    });
    if (add) add.disabled = anonymous.checked;
    table.classList.toggle("muted", anonymous.checked);
  }
  anonymous.addEventListener("change", apply);
  apply();
})();
