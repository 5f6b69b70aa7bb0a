// Notifications list: opening a notification marks it read in the background.
// Without JavaScript the "Mark as read" buttons do the same job.
(() => {
  "use strict";
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!token || !navigator.sendBeacon) return;
  document.querySelectorAll("a[data-mark-read-url]").forEach((link) => {
    link.addEventListener("click", () => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token.value);
      navigator.sendBeacon(link.dataset.markReadUrl, data);
    });
  });
})();
