// The rubric page: add criterion rows, keep the sum of the weights live.
// Without JavaScript the page still works: one blank row, "Remove" ticks, the sum as saved.
(function () {
  "use strict";

  function updateTotal() {
    var total = 0;
    document.querySelectorAll("#criteria-rows [data-formset-row]").forEach(function (row) {
      var removed = row.querySelector("[data-formset-delete]");
      var input = row.querySelector("[data-weight]");
      if (input && !(removed && removed.checked)) {
        var value = parseInt(input.value, 10);
        if (isFinite(value)) { total += value; }
      }
    });
    var output = document.querySelector("[data-weight-total]");
    if (output) {
      output.textContent = String(total);
      output.classList.toggle("text-danger", total !== 100);
      output.classList.toggle("text-success", total === 100);
    }
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
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
    count.value = String(index + 1);
    var added = rows.lastElementChild;
    var label = added.querySelector("td");
    if (label) { label.insertAdjacentText("afterbegin", String(index + 1)); }
    var first = added.querySelector("input:not([type=hidden])");
    if (first) { first.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("rubric-form");
    if (!form) { return; }
    form.querySelectorAll("[data-formset-add]").forEach(function (button) {
      button.addEventListener("click", function () { addRow(button.dataset.formsetAdd); });
    });
    form.addEventListener("input", updateTotal);
    form.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("[data-formset-delete]")) {
        markRemoved(event.target);
      }
      updateTotal();
    });
    form.querySelectorAll("[data-formset-delete]").forEach(markRemoved);
    updateTotal();
  });
})();
