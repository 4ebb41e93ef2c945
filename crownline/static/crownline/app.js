// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  function openDialog(id) {
    var d = document.getElementById(id);
    if (d && typeof d.showModal === "function" && !d.open) d.showModal();
  }

  document.addEventListener("click", function (e) {
    var opener = e.target.closest("[data-dialog]");
    if (opener) { e.preventDefault(); openDialog(opener.getAttribute("data-dialog")); return; }
    var closer = e.target.closest("[data-close]");
    if (closer) { e.preventDefault(); closer.closest("dialog").close(); return; }
    var tooth = e.target.closest("[data-tooth]");
    if (tooth) {
      e.preventDefault();
      var input = document.getElementById(tooth.closest("[data-teeth-for]").getAttribute("data-teeth-for"));
      var n = tooth.getAttribute("data-tooth");
      var teeth = input.value.split(/[\s,;]+/).filter(Boolean);
      var i = teeth.indexOf(n);
      if (i >= 0) teeth.splice(i, 1); else teeth.push(n);
      teeth.sort(function (a, b) { return a - b; });
      input.value = teeth.join(", ");
      syncChart(tooth.closest("[data-teeth-for]"));
    }
  });

  function syncChart(chart) {
    var input = document.getElementById(chart.getAttribute("data-teeth-for"));
    var teeth = input.value.split(/[\s,;]+/);
    chart.querySelectorAll("[data-tooth]").forEach(function (b) {
      b.setAttribute("aria-pressed", teeth.indexOf(b.getAttribute("data-tooth")) >= 0 ? "true" : "false");
    });
  }

  // A second click while the first submission is on its way does nothing. (The server
  // refuses a repeated action or edit anyway: the form carries the order version it was made
  // for. Comments and work-plan changes do not move that version, so for "Add task" and
  // "Add comment" this guard is what stops a double click.)
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.hasAttribute("hx-post")) return;
    if (form.dataset.submitted) { e.preventDefault(); return; }
    form.dataset.submitted = "1";
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });

  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) e.target.form.requestSubmit();
  });

  function init(root) {
    root.querySelectorAll("dialog[data-autoopen]").forEach(function (d) { openDialog(d.id); });
    root.querySelectorAll("[data-teeth-for]").forEach(syncChart);
    root.querySelectorAll("[data-add-line]").forEach(function (btn) {
      btn.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
