// Autocomplete for search boxes marked data-autocomplete="<suggest API URL>".
// Progressive enhancement: without this file the box is a plain GET form. With it, the box
// becomes an ARIA 1.2 combobox (role=combobox, aria-expanded, aria-controls,
// aria-activedescendant) over a listbox of titles from /api/search/suggest/. Keys: Down/Up
// move through the suggestions, Enter opens the highlighted one (or submits the search when
// none is highlighted), Escape closes the list. The list's label and the status messages come
// from the box's data-autocomplete-* attributes (translated with the page); the catalogue
// (/jsi18n/) translates the stand-ins used when a box has none.
(() => {
  "use strict";
  const gettext = window.gettext || ((message) => message);
  const ngettext =
    window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));
  const MIN_CHARS = 2;
  const DELAY_MS = 150;
  let counter = 0;

  function enhance(input) {
    const url = input.dataset.autocomplete;
    if (!url || input.dataset.autocompleteReady) return;
    input.dataset.autocompleteReady = "1";
    counter += 1;
    const listId = `search-suggestions-${counter}`;
    const form = input.form;
    if (form) form.classList.add("has-autocomplete");

    const list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.autocompleteLabel || gettext("Suggestions"));
    list.hidden = true;
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    let items = [];
    let active = -1;
    let timer = null;
    let controller = null;

    function statusText(count) {
      const template =
        (count === 1 ? input.dataset.autocompleteOne : input.dataset.autocompleteMany) ||
        ngettext(
          "%(count)s suggestion: use the up and down arrow keys.",
          "%(count)s suggestions: use the up and down arrow keys.",
          count,
        );
      return template.replace("%(count)s", String(count));
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(results) {
      items = results;
      list.replaceChildren();
      results.forEach((result, i) => {
        const option = document.createElement("li");
        option.id = `${listId}-option-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "search-suggestions__option";
        const title = document.createElement("span");
        title.className = "search-suggestions__title";
        title.textContent = result.title;
        const kind = document.createElement("span");
        kind.className = "search-suggestions__type";
        kind.textContent = result.type_label || "";
        option.append(title, " ", kind);
        option.addEventListener("mousedown", (event) => event.preventDefault());
        option.addEventListener("click", () => go(i));
        list.append(option);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = results.length ? statusText(results.length) : "";
    }

    function go(index) {
      const result = items[index];
      if (result && result.url) window.location.assign(result.url);
    }

    async function fetchSuggestions(text) {
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch(`${url}?q=${encodeURIComponent(text)}`, {
          headers: { Accept: "application/json" },
          signal: controller.signal,
          credentials: "same-origin",
        });
        if (!response.ok) return;
        const data = await response.json();
        if (input.value.trim() === text) render(data.results || []);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      const text = input.value.trim();
      if (text.length < MIN_CHARS) {
        if (controller) controller.abort();
        render([]);
        return;
      }
      timer = setTimeout(() => fetchSuggestions(text), DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      const open = !list.hidden;
      if (event.key === "ArrowDown") {
        if (!items.length) return;
        event.preventDefault();
        if (!open) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open || !items.length) return;
        event.preventDefault();
        highlight(active - 1 < 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", () => {
      setTimeout(close, 100);
    });
  }

  function init() {
    document.querySelectorAll("input[data-autocomplete]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
