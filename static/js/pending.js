// Forms whose work runs in the request (capturing a page, reading a file): say so while it runs
// and refuse a second click, without disabling the button (a disabled submitter is left out of
// the form data). Without this script the forms post all the same.
(function () {
  "use strict";
  document.querySelectorAll("form[data-pending]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
      form.setAttribute("aria-busy", "true");
      form.classList.add("is-pending");
      form.querySelectorAll("button").forEach(function (button) { button.setAttribute("aria-disabled", "true"); });
      var status = form.querySelector(".pending-status");
      if (status) { status.textContent = form.getAttribute("data-pending"); }
    });
  });
  // Back from the browser's cache after a refusal: the form is usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-pending]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.classList.remove("is-pending");
      form.querySelectorAll("button").forEach(function (button) { button.removeAttribute("aria-disabled"); });
    });
  });
})();
