// Spec Review's own script: small, and no inline handlers anywhere (the CSP forbids them).
"use strict";

// Stale forms (409), refusals (403/404) and invalid input (422) come back as server-rendered
// panels and are swapped in place by htmx (see htmx-config in base.html). Anything else that
// fails is said plainly instead of silently doing nothing.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  window.alert(status >= 500 || status === 0
    ? "Spec Review could not complete that. Please try again in a moment."
    : "That request was refused (" + status + ").");
});

// The one polite live region the page keeps (outside every swapped part) says each result.
function announce(text) {
  const region = document.getElementById("live-status");
  if (!region || !text) return;
  region.textContent = "";
  // A fresh text node after a tick, so the same words twice are announced twice.
  window.setTimeout(() => { region.textContent = text; }, 50);
}

// After a swap the user asked for (a form they sent), focus goes to the result: the panel's
// message (success, refusal, stale or invalid), else its first invalid field, else the panel.
// Refreshes that other panels trigger never move focus.
document.addEventListener("htmx:afterSettle", (event) => {
  const config = event.detail.requestConfig;
  if (!config || config.verb === "get") return;
  const swapped = event.detail.elt;
  if (!swapped || !swapped.isConnected) return;
  const result = swapped.querySelector("[data-result]");
  const invalid = swapped.querySelector("[aria-invalid=true]");
  const target = result || invalid || swapped;
  if (target === swapped && !swapped.hasAttribute("tabindex")) swapped.setAttribute("tabindex", "-1");
  if (result) announce(result.textContent.trim());
  target.focus({ preventScroll: false });
});

document.addEventListener("spec-review:announce", (event) => announce(event.detail));

// A panel that refreshes itself (another panel's step, or someone else's) while the user is in
// it keeps their place: focus returns to the same control in the fresh copy, or to the panel.
let keptFocus = null;
document.addEventListener("htmx:beforeSwap", (event) => {
  const config = event.detail.requestConfig;
  const target = event.detail.target;
  const active = document.activeElement;
  keptFocus = null;
  if (!config || config.verb !== "get" || !target || !target.contains(active) || active === document.body) return;
  keptFocus = {
    id: active.id,
    name: active.getAttribute("name"),
    value: active.getAttribute("value"),
    tag: active.tagName,
    text: active.textContent.trim(),
    panelId: target.id,
  };
});

function sameControl(root, kept) {
  if (kept.id) return root.querySelector(`#${CSS.escape(kept.id)}`);
  if (kept.name) {
    const named = Array.from(root.querySelectorAll(`[name="${CSS.escape(kept.name)}"]`));
    return named.find((el) => el.getAttribute("value") === kept.value) || named[0] || null;
  }
  return Array.from(root.querySelectorAll(kept.tag)).find((el) => el.textContent.trim() === kept.text) || null;
}

document.addEventListener("htmx:afterSettle", (event) => {
  if (!keptFocus) return;
  const kept = keptFocus;
  keptFocus = null;
  const panel = kept.panelId ? document.getElementById(kept.panelId) : event.detail.elt;
  if (!panel || (document.activeElement && document.activeElement !== document.body)) return;
  const control = sameControl(panel, kept);
  if (control) { control.focus(); return; }
  if (!panel.hasAttribute("tabindex")) panel.setAttribute("tabindex", "-1");
  panel.focus();
});

// Code blocks and tables that may scroll sideways stay reachable by keyboard wherever a
// rendered spec appears, the upload page's live preview included (axe: scrollable-region-focusable).
function focusableScrollers(root) {
  root.querySelectorAll(".rendered pre:not([tabindex]), .rendered table:not([tabindex])").forEach((el) => {
    el.setAttribute("tabindex", "0");
  });
}
document.addEventListener("DOMContentLoaded", () => focusableScrollers(document));
// As soon as swapped content is in the page (htmx:load), not after the settle delay: the
// upload page's preview arrives by itself, and a code block was briefly out of reach.
document.addEventListener("htmx:load", (event) => focusableScrollers(event.detail.elt));
document.addEventListener("htmx:afterSettle", (event) => focusableScrollers(event.detail.elt));

// Images dropped on an upload form's drop zone join the files already chosen in its file input
// (the input alone works without this script, by keyboard too).
document.querySelectorAll("[data-drop-into]").forEach((zone) => {
  const input = document.getElementById(zone.dataset.dropInto);
  if (!input || typeof DataTransfer === "undefined") return;
  const hasFiles = (event) => event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files");
  zone.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    zone.classList.add("drag-over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("drag-over"));
  zone.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    zone.classList.remove("drag-over");
    const chosen = new DataTransfer();
    for (const file of input.files) chosen.items.add(file);
    for (const file of event.dataTransfer.files) chosen.items.add(file);
    input.files = chosen.files;
    announce(chosen.files.length + (chosen.files.length === 1 ? " image" : " images") + " chosen.");
  });
});

// An outline that gives its column to the comment margin on narrower screens starts closed
// there (one line above the text); wide screens and pages without this script keep it open.
document.querySelectorAll("details[data-closed-below]").forEach((details) => {
  if (window.matchMedia("(max-width: " + (Number(details.dataset.closedBelow) - 0.02) + "px)").matches) {
    details.open = false;
  }
});
