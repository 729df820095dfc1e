// The spec page: diagrams (loaded only when the version has one), lint findings that jump to
// their line, blocks reachable by keyboard, and the shortcuts listed in the "?" sheet.
// Comments in the margin (placing, markers, composer, selection) are static/js/margin.js's.
"use strict";

const BLOCKS = ".rendered [data-source-line]:not(tr):not(li > p)";

// Mermaid is 5 MB: fetched only when the version's stored HTML has a diagram, after first paint.
function loadDiagramLibrary() {
  const rendered = document.querySelector(".rendered[data-diagrams]");
  if (!rendered || window.mermaid || document.getElementById("mermaid-script")) return;
  const script = document.createElement("script");
  script.id = "mermaid-script";
  script.src = rendered.dataset.diagrams;
  script.onload = () => {
    // A diagram is author-written HTML's back door: labels are drawn as SVG text (no HTML
    // labels), and the sanitiser mermaid applies drops images, so a label such as
    // <img src="https://tracker/..."> never makes a reader's browser contact another host.
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: "neutral",
      htmlLabels: false,
      flowchart: { htmlLabels: false },
      dompurifyConfig: { FORBID_TAGS: ["img", "image", "picture", "source", "video", "audio"] },
    });
    renderDiagrams(document);
  };
  document.head.appendChild(script);
}

function renderDiagrams(root) {
  if (!window.mermaid) return;
  const blocks = root.querySelectorAll(".rendered pre.mermaid:not([data-processed])");
  if (!blocks.length) return;
  window.mermaid.run({ nodes: blocks, suppressErrors: true }).then(() => {
    blocks.forEach((block, index) => {
      // The drawing gets a name; its source text stays in the page for anyone who needs it.
      const svg = block.querySelector("svg");
      if (svg) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", `Diagram ${index + 1}`);
      }
    });
  });
}

// Blocks take focus: a roving tabindex (one block in the Tab order, j/k move it), and
// anything that scrolls sideways (tables, code) stays in the Tab order so keys can scroll it.
function prepareBlocks(root) {
  const blocks = root.querySelectorAll(BLOCKS);
  blocks.forEach((block, index) => {
    if (block.hasAttribute("tabindex")) return;
    block.setAttribute("tabindex", index === 0 ? "0" : "-1");
  });
  root.querySelectorAll(".rendered pre, .rendered table").forEach((el) => {
    el.setAttribute("tabindex", "0");
  });
}

function allBlocks() {
  return Array.from(document.querySelectorAll(BLOCKS));
}

function focusBlock(block) {
  if (!block) return;
  allBlocks().forEach((el) => {
    if (el.getAttribute("tabindex") === "0" && !el.matches("pre, table")) el.setAttribute("tabindex", "-1");
  });
  if (!block.matches("pre, table")) block.setAttribute("tabindex", "0");
  block.focus();
  block.scrollIntoView({ block: "nearest" });
}

function moveBlock(step) {
  const blocks = allBlocks();
  const current = document.activeElement.closest ? document.activeElement.closest(BLOCKS) : null;
  let index = blocks.indexOf(current);
  index = index === -1 ? (step > 0 ? 0 : blocks.length - 1) : index + step;
  focusBlock(blocks[Math.max(0, Math.min(blocks.length - 1, index))]);
}

function blockForLine(line) {
  return window.specMargin ? window.specMargin.blockForLine(line) : null;
}

// `c`, Enter on a block, or a click in it: the composer opens beside the block (in the margin,
// or under the block on a phone), quoting the selected words when there are some in it.
function commentOn(block) {
  const phrase = window.specMargin && window.specMargin.selectedPhrase();
  if (phrase) {
    window.getSelection().removeAllRanges();  // the quote field holds the words now
    return window.specMargin.openComposer(phrase.block, phrase.quote);
  }
  return window.specMargin && window.specMargin.openComposer(block);
}

// The first of the selectors that matches something, tried in order (a list in one
// querySelector would answer in document order, and a heading comes before its form).
function focusFirst(...selectors) {
  for (const selector of selectors) {
    const el = document.querySelector(selector);
    if (!el) continue;
    const details = el.closest("details");
    if (details && el.tagName !== "SUMMARY") details.open = true;
    if (!el.matches("a, button, input, select, textarea, summary, [tabindex]")) el.setAttribute("tabindex", "-1");
    el.focus();
    return;
  }
}

// The sections changed since the reader last looked, marked in the outline (in document
// order): `]` / `[` and the outline's "Next / Previous changed" links move focus to the next or
// previous one's heading, counted from the block that has focus, else from the last one visited.
let lastChanged = null;

function changedHeadings() {
  return Array.from(document.querySelectorAll(".toc a[data-changed]"))
    .map((link) => document.getElementById(decodeURIComponent(link.hash.slice(1))))
    .filter(Boolean);
}

// The heading's words as the outline gives them (the heading itself may hold comment markers).
function outlineTitle(heading) {
  const link = document.querySelector(`.toc a[data-changed][href="#${CSS.escape(heading.id)}"]`);
  return link ? link.firstChild.textContent.trim() : heading.textContent.trim();
}

function moveChanged(step) {
  const headings = changedHeadings();
  if (!headings.length) return;
  const active = document.activeElement;
  const from = active && active.closest && active.closest(".rendered") ? active : lastChanged;
  let next;
  if (!from) next = step > 0 ? headings[0] : headings[headings.length - 1];
  else if (step > 0) next = headings.find((h) => from.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING);
  else next = headings.slice().reverse().find((h) => from.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_PRECEDING);
  if (!next) {
    document.dispatchEvent(new CustomEvent("spec-review:announce", {
      detail: step > 0 ? "No changed section after this one." : "No changed section before this one.",
    }));
    return;
  }
  lastChanged = next;
  if (!next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
  focusBlock(next);
  next.scrollIntoView({ block: "start" });
  const position = headings.indexOf(next) + 1;
  document.dispatchEvent(new CustomEvent("spec-review:announce", {
    detail: `Changed section ${position} of ${headings.length}: ${outlineTitle(next)}`,
  }));
}

const SHORTCUTS = {
  j: () => moveBlock(1),
  k: () => moveBlock(-1),
  c: () => commentOn(document.activeElement.closest(BLOCKS) || allBlocks()[0]),
  n: () => window.specMargin && window.specMargin.focusThread(1),
  p: () => window.specMargin && window.specMargin.focusThread(-1),
  r: () => window.specMargin && window.specMargin.replyInFocusedThread(),
  s: () => focusFirst("#signoffs-panel form input:not([type=hidden])", "#signoffs-panel h2"),
  g: () => focusFirst("#gates-panel input[type=checkbox]", "#gates-panel h2"),
  d: () => focusFirst("#decisions-panel > details.record-decision > summary", "#decisions-panel h2"),
  "]": () => moveChanged(1),
  "[": () => moveChanged(-1),
  "?": () => {
    const sheet = document.getElementById("shortcut-sheet");
    if (sheet && !sheet.open) sheet.showModal();
  },
};

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const target = event.target;
  // Shortcuts never fire while typing in a field.
  if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog")) return;
  if (event.key === "Enter" && target.matches && target.matches(BLOCKS)) {
    event.preventDefault();
    commentOn(target);
    return;
  }
  const action = SHORTCUTS[event.key];
  if (!action) return;
  event.preventDefault();
  action();
});

document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-open-sheet]");
  if (opener) {
    const sheet = document.getElementById(opener.dataset.openSheet);
    if (sheet) sheet.showModal();
    return;
  }
  const closer = event.target.closest("[data-close-sheet]");
  if (closer) {
    closer.closest("dialog").close();
    return;
  }
  const walk = event.target.closest("a[data-changed-step]");
  if (walk) {
    event.preventDefault();
    moveChanged(Number(walk.dataset.changedStep));
    return;
  }
  const link = event.target.closest("a.finding-jump");
  if (link) {
    const target = blockForLine(Number(link.dataset.line));
    if (!target) return;
    event.preventDefault();
    document.querySelectorAll(".rendered .jump-target").forEach((el) => el.classList.remove("jump-target"));
    target.classList.add("jump-target");
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    target.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "center" });
    focusBlock(target);
    return;
  }
  // "Copy table" buttons copy the text of the element their data-copy selector names.
  const button = event.target.closest("button[data-copy]");
  if (button) {
    const source = document.querySelector(button.dataset.copy);
    if (!source) return;
    navigator.clipboard.writeText(source.value || source.textContent).then(
      () => { button.textContent = "Copied"; },
      () => { source.select(); button.textContent = "Press Ctrl+C to copy"; },
    );
    return;
  }
  // Clicking a rendered block (not a link in it, nor the end of selecting words in it) opens
  // the composer beside it.
  if (event.target.closest("a, button, input, summary")) return;
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed) return;
  const block = event.target.closest(BLOCKS);
  if (block && document.getElementById("comment-form")) commentOn(block);
});

// The changed headings say so in the text too (the outline and `]` say it to screen readers).
function markChangedHeadings() {
  document.querySelectorAll(".toc a[data-changed]").forEach((link) => {
    const heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    const badge = link.querySelector(".toc-mark");
    if (heading && badge) heading.dataset.changedMark = badge.firstChild.textContent.trim();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  prepareBlocks(document);
  markChangedHeadings();
  if ("requestIdleCallback" in window) window.requestIdleCallback(loadDiagramLibrary, { timeout: 1500 });
  else window.setTimeout(loadDiagramLibrary, 200);
});
document.addEventListener("htmx:afterSettle", (event) => {
  prepareBlocks(event.detail.elt);
  renderDiagrams(event.detail.elt);
});

// Live: the page polls the spec's change stamp (one query when nothing changed) and, when
// someone else acted, refreshes every live panel, the header included. A panel the user is
// working in (focus inside, or a field they changed) is left alone until they are done.
const POLL_MS = 5000;
let changeStamp = null;
const pendingPanels = new Set();

function panelFor(name) {
  return document.querySelector(`[hx-trigger="refresh-${name} from:body"]`);
}

function isBusy(panel) {
  if (panel.contains(document.activeElement) && document.activeElement !== panel) return true;
  return Array.from(panel.querySelectorAll("input, textarea, select")).some((field) => {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") return Array.from(field.options).some((o) => o.selected !== o.defaultSelected);
    return field.type !== "hidden" && field.value !== field.defaultValue;
  });
}

function refreshPending() {
  for (const name of Array.from(pendingPanels)) {
    const panel = panelFor(name);
    if (!panel) { pendingPanels.delete(name); continue; }
    if (isBusy(panel)) continue;
    pendingPanels.delete(name);
    window.htmx.trigger(document.body, `refresh-${name}`);
  }
}

async function pollChanges(quiet) {
  const layout = document.querySelector("[data-changes-url]");
  if (!layout || !window.htmx) return;
  const since = changeStamp ? `?since=${encodeURIComponent(changeStamp)}` : "";
  let response;
  try {
    response = await fetch(layout.dataset.changesUrl + since, { credentials: "same-origin" });
  } catch (error) {
    return;  // offline for a moment: the next poll tries again
  }
  if (response.status !== 200) { refreshPending(); return; }
  const changes = await response.json();
  const first = changeStamp === null;
  changeStamp = changes.stamp;
  if (!first && !quiet) changes.panels.forEach((name) => pendingPanels.add(name));
  refreshPending();
}

document.addEventListener("DOMContentLoaded", () => {
  if (!document.querySelector("[data-changes-url]")) return;
  pollChanges(true);
  window.setInterval(() => { if (!document.hidden) pollChanges(false); }, POLL_MS);
});
// The user's own step already refreshed every panel (HX-Trigger): take the new stamp quietly.
document.addEventListener("htmx:afterRequest", (event) => {
  const config = event.detail.requestConfig;
  if (config && config.verb !== "get" && event.detail.successful) pollChanges(true);
});
