// Forum enhancements: vote, reply inline, quote and preview without reloading the page.
// Every feature works without this file: the forms POST and the server redirects back.
(() => {
  "use strict";
  // Strings come from the JavaScript catalogue (/jsi18n/, loaded first); if it failed to load,
  // these stand-ins show the English source strings.
  const gettext = window.gettext || ((message) => message);
  const interpolate =
    window.interpolate ||
    ((format, values) =>
      Object.keys(values).reduce(
        (text, name) => text.split(`%(${name})s`).join(String(values[name])),
        format,
      ));

  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);
  const announce = (message) => {
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message; }, 50);
  };

  const csrfToken = (form) => form.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";
  const newKey = () => (window.crypto && crypto.randomUUID ? crypto.randomUUID() : "");
  let formCounter = 0;

  async function send(url, { method = "GET", body = null, token = "" } = {}) {
    const headers = { Accept: "application/json" };
    if (token) headers["X-CSRFToken"] = token;
    const response = await fetch(url, { method, body, headers, credentials: "same-origin" });
    let data = {};
    try { data = await response.json(); } catch (_) { data = {}; }
    if (!response.ok) throw new Error(data.error || gettext("Something went wrong. Please try again."));
    return data;
  }

  // ---- Votes ----
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form.js-vote")) return;
    event.preventDefault();
    if (form.classList.contains("is-busy")) return;
    const submitter = event.submitter;
    const body = new FormData(form);
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    form.classList.add("is-busy");
    try {
      const data = await send(form.action, { method: "POST", body, token: csrfToken(form) });
      form.querySelector("[data-score]").textContent = data.score;
      const up = form.querySelector(".vote__button--up");
      const down = form.querySelector(".vote__button--down");
      up.setAttribute("aria-pressed", String(data.my_vote === 1));
      up.value = data.my_vote === 1 ? "clear" : "up";
      down.setAttribute("aria-pressed", String(data.my_vote === -1));
      down.value = data.my_vote === -1 ? "clear" : "down";
      announce(interpolate(gettext("Vote recorded. Score %(score)s."), { score: data.score }, true));
    } catch (error) {
      announce(error.message);
      window.alert(error.message);
    } finally {
      form.classList.remove("is-busy");
    }
  });

  // ---- Markdown preview ----
  function enablePreview(container) {
    const tools = container.querySelector(".markdown-field__tools");
    if (tools) tools.hidden = false;
  }
  document.querySelectorAll(".markdown-field").forEach(enablePreview);

  document.addEventListener("click", async (event) => {
    const button = event.target.closest(".js-preview");
    if (!button) return;
    const container = button.closest(".markdown-field");
    const form = button.closest("form");
    const output = container.querySelector(".markdown-preview");
    const body = new FormData();
    body.set("body", container.querySelector("textarea").value);
    button.disabled = true;
    try {
      const data = await send(container.dataset.previewUrl, {
        method: "POST", body, token: csrfToken(form),
      });
      // The server returns HTML sanitised by the same pipeline that saves posts.
      if (data.html) {
        output.innerHTML = data.html;
      } else {
        const empty = document.createElement("p");
        empty.textContent = gettext("Nothing to preview yet.");
        output.replaceChildren(empty);
      }
      output.hidden = false;
      announce(gettext("Preview updated."));
    } catch (error) {
      output.textContent = error.message;
      output.hidden = false;
    } finally {
      button.disabled = false;
    }
  });

  // ---- Inline reply and quote ----
  const template = document.getElementById("inline-reply-template");

  function openInlineReply(postId, initialText) {
    const article = document.getElementById(`post-${postId}`);
    if (!template || !article) return null;
    let form = document.querySelector(`form[data-inline-parent="${postId}"]`);
    if (!form) {
      form = template.content.firstElementChild.cloneNode(true);
      formCounter += 1;
      const id = `inline-reply-${postId}-${formCounter}`;
      form.dataset.inlineParent = postId;
      form.querySelector("input[name=parent]").value = postId;
      form.querySelector("input[name=submission_key]").value = newKey();
      const textarea = form.querySelector("textarea");
      textarea.id = id;
      form.querySelector("label").htmlFor = id;
      article.after(form);
    }
    const textarea = form.querySelector("textarea");
    if (initialText) {
      textarea.value = textarea.value ? `${textarea.value}\n\n${initialText}` : initialText;
    }
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    return form;
  }

  document.addEventListener("click", async (event) => {
    const reply = event.target.closest("a.js-reply");
    const quote = event.target.closest("a.js-quote");
    const cancel = event.target.closest(".js-reply-cancel");
    if (cancel) {
      const form = cancel.closest("form");
      const postId = form.dataset.inlineParent;
      form.remove();
      document.querySelector(`#post-${postId} a.js-reply`)?.focus();
      return;
    }
    if (!template || !(reply || quote)) return;
    event.preventDefault();
    const link = reply || quote;
    const postId = link.dataset.postId;
    if (reply) {
      openInlineReply(postId, "");
      return;
    }
    try {
      const data = await send(link.dataset.quoteUrl);
      openInlineReply(postId, data.markdown);
    } catch (error) {
      window.location.href = link.href;
    }
  });

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form.reply-form--inline")) return;
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const errorBox = form.querySelector(".js-reply-error");
    if (button.disabled) return;
    button.disabled = true;
    errorBox.hidden = true;
    try {
      const data = await send(form.action, {
        method: "POST", body: new FormData(form), token: csrfToken(form),
      });
      const holder = document.createElement("div");
      holder.innerHTML = data.html;
      const article = holder.firstElementChild;
      article.tabIndex = -1;
      form.replaceWith(article);
      article.focus();
      announce(gettext("Your reply is posted."));
    } catch (error) {
      errorBox.textContent = error.message;
      errorBox.hidden = false;
      button.disabled = false;
    }
  });

  // Plain forms: stop a second click from sending the same post twice.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form.reply-form:not(.reply-form--inline), form.thread-form, form.post-edit-form")) return;
    const button = form.querySelector("button[type=submit]");
    if (button) window.setTimeout(() => { button.disabled = true; }, 0);
  });
})();
