// Small progressive enhancements. Every feature here works without this file.
(() => {
  "use strict";
  // Close an open <details> dropdown on Escape or on a click outside it.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.dropdown[open]").forEach((el) => {
      el.removeAttribute("open");
      el.querySelector("summary")?.focus();
    });
  });
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.dropdown[open]").forEach((el) => {
      if (!el.contains(event.target)) el.removeAttribute("open");
    });
  });
})();
