// The application edit page: add team and budget rows, keep the budget totals live.
// Without JavaScript the page still works: one blank row per table, "Remove" ticks.
(function () {
  "use strict";

  function number(value) {
    var parsed = parseFloat(String(value || "").replace(/,/g, ""));
    return isFinite(parsed) ? parsed : 0;
  }

  function money(value) {
    return value.toLocaleString(document.documentElement.lang || "zh-Hans", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
  }

  function updateTotals() {
    ["requested", "self_raised"].forEach(function (kind) {
      var total = 0;
      document.querySelectorAll("#budget-rows [data-formset-row]").forEach(function (row) {
        var removed = row.querySelector("[data-formset-delete]");
        var input = row.querySelector('[data-budget="' + kind + '"]');
        if (input && !(removed && removed.checked)) { total += number(input.value); }
      });
      var yuan = document.querySelector('[data-total="' + kind + '"]');
      var wan = document.querySelector('[data-total-wan="' + kind + '"]');
      if (yuan) { yuan.textContent = money(total); }
      if (wan) { wan.textContent = money(total / 10000); }
    });
  }

  function markRemoved(box) {
    box.closest("[data-formset-row]").classList.toggle("kg-removed", box.checked);
  }

  function addRow(prefix) {
    var template = document.getElementById(prefix + "-empty-row");
    var rows = document.getElementById(prefix + "-rows");
    var count = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !rows || !count) { return; }
    var index = parseInt(count.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    count.value = String(index + 1);
    var added = rows.lastElementChild;
    var label = added.querySelector("td");
    if (label) { label.insertAdjacentText("afterbegin", String(index + 1)); }
    var first = added.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset-add]").forEach(function (button) {
      button.addEventListener("click", function () { addRow(button.dataset.formsetAdd); });
    });
    var form = document.getElementById("application-form");
    if (form) {
      form.addEventListener("input", updateTotals);
      form.addEventListener("change", function (event) {
        if (event.target.matches && event.target.matches("[data-formset-delete]")) {
          markRemoved(event.target);
        }
        updateTotals();
      });
      // A page sent back with errors shows what was typed: total that, not what is saved.
      form.querySelectorAll("[data-formset-delete]").forEach(markRemoved);
      updateTotals();
    }
  });
})();
