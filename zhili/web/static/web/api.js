// The pages' calls to the platform's API (/api/v1/): a JSON POST with the page's CSRF token,
// which resolves to the answer's data or rejects with an Error carrying the answer's `detail`
// and stable `code` (core.schemas.ErrorOut). Used by the live player and the video rooms.
(function () {
  "use strict";

  function csrfToken() {
    // The page's CSRF token, given to htmx on <body> (web/base.html).
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
      keepalive: true,
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.detail || data.message || ("HTTP " + response.status));
          error.code = data.code || String(response.status);
          throw error;
        }
        return data;
      });
    });
  }

  window.ZhiliApi = { post: post, csrfToken: csrfToken };
})();
