/* The unit picker of the staff form: a search result fills in the unit code.
 * Delegated from the document, so it keeps working after HTMX swaps the form. */
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const option = event.target.closest("[data-org-code]");
    if (!option) {
      return;
    }
    const picker = option.closest(".org-picker");
    picker.querySelector('input[name="organization"]').value = option.dataset.orgCode;
    picker.querySelector('[data-role="org-label"]').textContent = option.dataset.orgName;
    picker.querySelector('input[name="organization_search"]').value = "";
    picker.querySelector(".org-options").replaceChildren();
  });
})();
