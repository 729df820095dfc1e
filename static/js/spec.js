// The spec page: mermaid diagrams, and lint findings that jump to their line in the rendered text.
"use strict";

function renderDiagrams(root) {
  if (!window.mermaid) return;
  const blocks = root.querySelectorAll(".rendered pre.mermaid:not([data-processed])");
  if (blocks.length) window.mermaid.run({ nodes: blocks, suppressErrors: true });
}

function blockForLine(line) {
  // The innermost rendered block whose source range contains the line.
  let best = null;
  for (const el of document.querySelectorAll(".rendered [data-source-line]")) {
    const start = Number(el.dataset.sourceLine);
    const end = Number(el.dataset.sourceEnd || start);
    if (start <= line && line <= end) best = el;
    if (start > line) break;
  }
  return best;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.finding-jump");
  if (!link) return;
  const target = blockForLine(Number(link.dataset.line));
  if (!target) return;
  event.preventDefault();
  document.querySelectorAll(".rendered .jump-target").forEach((el) => el.classList.remove("jump-target"));
  target.classList.add("jump-target");
  target.scrollIntoView({ behavior: "smooth", block: "center" });
});

document.addEventListener("DOMContentLoaded", () => {
  if (window.mermaid) {
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
  }
  renderDiagrams(document);
});
document.addEventListener("htmx:afterSettle", (event) => renderDiagrams(event.detail.elt));

// "Copy table" buttons copy the text of the element their data-copy selector names.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  navigator.clipboard.writeText(source.value || source.textContent).then(
    () => { button.textContent = "Copied"; },
    () => { source.select(); button.textContent = "Press Ctrl+C to copy"; },
  );
});

// Clicking a rendered block (not a link in it) picks its source lines for the comment form.
document.addEventListener("click", (event) => {
  const form = document.getElementById("comment-form");
  if (!form || event.target.closest("a, button, input, summary")) return;
  const block = event.target.closest(".rendered [data-source-line]");
  if (!block) return;
  const start = block.dataset.sourceLine;
  const end = block.dataset.sourceEnd || start;
  form.querySelector("[name=line_start]").value = start;
  form.querySelector("[name=line_end]").value = end;
  form.querySelector("[name=section]").value = "";
  const note = document.getElementById("comment-target");
  if (note) note.textContent = start === end ? `Commenting on line ${start}.` : `Commenting on lines ${start}–${end}.`;
  document.querySelectorAll(".rendered .comment-target").forEach((el) => el.classList.remove("comment-target"));
  block.classList.add("comment-target");
});
