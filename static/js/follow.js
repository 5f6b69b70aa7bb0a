// Follow buttons: follow and unfollow without reloading the page.
// Without this file the forms POST and the server redirects back to the page.
(() => {
  "use strict";
  const gettext = window.gettext || ((message) => message);

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest(".js-follow-form");
    if (!form) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": token },
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error || gettext("Something went wrong. Please try again."));
      form.action = data.following ? form.dataset.unfollowUrl : form.dataset.followUrl;
      button.textContent = data.following ? gettext("Following") : gettext("Follow");
      button.setAttribute("aria-pressed", data.following ? "true" : "false");
      const status = form.querySelector("[data-follow-status]") || document.createElement("span");
      status.dataset.followStatus = "";
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      form.appendChild(status);
      status.textContent = data.message || "";
    } catch (error) {
      window.alert(error.message);
    } finally {
      button.disabled = false;
    }
  });
})();
