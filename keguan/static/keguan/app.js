// keguan's page behaviour. No inline script anywhere: a strict CSP holds.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // The language selector switches on change; its button stays for keyboards without JS.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // htmx needs the CSRF token on its POSTs.
    document.body.addEventListener("htmx:configRequest", function (event) {
      var match = document.cookie.match(/(?:^|; )keguan_csrftoken=([^;]+)/);
      if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
    });
  });
})();
