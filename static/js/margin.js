// Comments in the document: threads in the margin beside their block (wide screens) or under it
// when its marker is pressed (narrow), a marker with the count on each block that has threads,
// the quoted words highlighted, a "Comment" button at a selection, the composer opened at its
// block, and, on a diff, threads and a composer under the new side's lines.
// The stored HTML of the version is never rewritten: markers are buttons added to it, the
// highlight is a CSS Custom Highlight (no <mark> elements), and placement is style.top.
"use strict";

(() => {
  const BLOCKS = ".rendered [data-source-line]:not(tr):not(li > p)";
  const WIDE = window.matchMedia("(min-width: 1200px)");
  const GAP = 8;
  const KINDS = { P: "paragraph", LI: "list item", UL: "list", OL: "list", TABLE: "table", PRE: "code block", BLOCKQUOTE: "quote" };
  const opened = new Set();  // narrow screens: groups whose block marker is pressed

  let blockIndex = null;  // line -> innermost commentable block, built once per layout

  function indexBlocks() {
    const index = new Map();
    // Document order: an inner block comes after its outer one and overwrites its lines.
    for (const el of document.querySelectorAll(BLOCKS)) {
      const start = Number(el.dataset.sourceLine);
      const end = Number(el.dataset.sourceEnd || start);
      for (let line = start; line <= end; line += 1) index.set(line, el);
    }
    return index;
  }

  function blockForLine(line) {
    return (blockIndex || indexBlocks()).get(line) || null;
  }

  function blockOf(item) {
    if (item.dataset.anchorLine) return blockForLine(Number(item.dataset.anchorLine));
    if (item.dataset.anchorSection) {
      const heading = document.getElementById(item.dataset.anchorSection);
      return heading ? heading.closest(BLOCKS) || heading : null;
    }
    return null;
  }

  function kindOf(block) {
    if (/^H[1-6]$/.test(block.tagName)) return "heading";
    return KINDS[block.tagName] || "block";
  }

  // --- markers ---------------------------------------------------------------------------
  let markedWith = "";  // what the markers in the page say, to leave them be when unchanged

  function placeMarkers(groups) {
    const wide = WIDE.matches;
    const said = groups.map(({ group }) => `${group.id}:${group.dataset.count}:${group.dataset.open}:${opened.has(group.id)}`).join(" ") + wide;
    if (said === markedWith && document.querySelector(".rendered .comment-marker")) return;
    markedWith = said;
    document.querySelectorAll(".rendered .comment-marker").forEach((m) => m.remove());
    const perBlock = new Map();
    for (const { group, block } of groups) {
      if (!block) continue;
      const entry = perBlock.get(block) || { count: 0, open: 0, groups: [] };
      entry.count += Number(group.dataset.count || 0);
      entry.open += Number(group.dataset.open || 0);
      entry.groups.push(group.id);
      perBlock.set(block, entry);
    }
    for (const [block, entry] of perBlock) {
      const marker = document.createElement("button");
      marker.type = "button";
      marker.className = "comment-marker" + (entry.open ? " has-open" : "");
      marker.dataset.groups = entry.groups.join(" ");
      marker.setAttribute("aria-controls", entry.groups.join(" "));
      const plural = entry.count === 1 ? "comment" : "comments";
      marker.setAttribute("aria-label", `${entry.count} ${plural} on this ${kindOf(block)}` + (entry.open ? `, ${entry.open} open` : ""));
      if (!WIDE.matches) marker.setAttribute("aria-expanded", entry.groups.some((id) => opened.has(id)) ? "true" : "false");
      marker.textContent = String(entry.count);
      const outside = block.matches("table, pre, ul, ol, hr, img");
      block.insertAdjacentElement(outside ? "beforebegin" : "afterbegin", marker);
    }
  }

  // --- placement -------------------------------------------------------------------------
  // Wide: each item at its block's top in the margin column, pushed down past the one above.
  // Narrow: an opened item under its block, the block given room below it (margin-bottom).
  function layout() {
    const panel = document.getElementById("comments-panel");
    if (!panel) return;
    blockIndex = indexBlocks();
    try {
      placeAll(panel);
    } finally {
      blockIndex = null;
    }
  }

  function placeAll(panel) {
    document.querySelectorAll(".rendered .has-threads-below").forEach((b) => {
      b.style.marginBottom = "";
      b.classList.remove("has-threads-below");
    });
    const groups = Array.from(panel.querySelectorAll(".margin-threads > .thread-group")).map((group) => ({ group, block: blockOf(group) }));
    placeMarkers(groups);
    const composer = document.getElementById("comment-form");
    if (!composer || !composer.classList.contains("placed")) {
      document.querySelectorAll(".rendered .comment-target").forEach((el) => el.classList.remove("comment-target"));
    }
    const items = groups.filter((g) => g.block);
    if (composer && composer.classList.contains("placed")) {
      const block = blockForLine(Number(composer.querySelector("[name=line_start]").value));
      if (block) items.push({ group: composer, block, composer: true });
    }
    const wide = WIDE.matches;
    panel.classList.toggle("margin-wide", wide);
    for (const { group, block } of groups) {
      const shown = wide || opened.has(group.id);
      group.classList.toggle("is-shown", shown && !!block);
      group.style.top = "";
    }
    if (composer) composer.style.top = "";
    const order = (a, b) => (a.block === b.block ? (a.composer ? 1 : 0) - (b.composer ? 1 : 0) : a.block.compareDocumentPosition(b.block) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
    const placed = items.filter((i) => i.composer || i.group.classList.contains("is-shown")).sort(order);
    if (wide) placeWide(panel, placed);
    else placeNarrow(placed);
    highlightQuotes(groups);
  }

  function placeWide(panel, placed) {
    const head = panel.querySelector(".margin-head");
    const origin = panel.getBoundingClientRect().top;
    let floor = head.getBoundingClientRect().bottom - origin + GAP;
    // All reads first, then all writes: one layout pass however many threads there are.
    const wanted = placed.map(({ group, block }) => [block.getBoundingClientRect().top - origin, group.offsetHeight]);
    placed.forEach(({ group }, index) => {
      const [top, height] = wanted[index];
      const at = Math.max(top, floor);
      group.style.top = `${at}px`;
      floor = at + height + GAP;
    });
    panel.style.minHeight = `${floor}px`;
  }

  function placeNarrow(placed) {
    const byBlock = new Map();
    for (const item of placed) {
      const list = byBlock.get(item.block) || [];
      list.push(item.group);
      byBlock.set(item.block, list);
    }
    for (const [block, list] of byBlock) {
      const room = list.reduce((sum, el) => sum + el.offsetHeight + GAP, GAP);
      block.classList.add("has-threads-below");
      block.style.marginBottom = `${room}px`;
      const container = list[0].offsetParent || document.body;
      let at = block.getBoundingClientRect().bottom - container.getBoundingClientRect().top + GAP;
      for (const el of list) {
        el.style.top = `${at}px`;
        at += el.offsetHeight + GAP;
      }
    }
  }

  // --- quotes ----------------------------------------------------------------------------
  // The stored quote is plain text with its whitespace collapsed; the block's text is searched
  // the same way, and the match becomes a Range over the block's own text nodes.
  function rangeFor(block, quote) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest(".comment-marker") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let text = "";
    const map = [];  // for each character of `text`: [node, offset]
    let lastSpace = true;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const value = node.nodeValue;
      for (let i = 0; i < value.length; i += 1) {
        const space = /\s/.test(value[i]);
        if (space && lastSpace) continue;
        text += space ? " " : value[i];
        map.push([node, i]);
        lastSpace = space;
      }
    }
    const at = text.indexOf(quote);
    if (at === -1 || !quote) return null;
    const range = document.createRange();
    const [startNode, startOffset] = map[at];
    const [endNode, endOffset] = map[at + quote.length - 1];
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset + 1);
    return range;
  }

  function highlightQuotes(groups) {
    if (!window.CSS || !CSS.highlights || !window.Highlight) return;
    const ranges = [];
    for (const { group, block } of groups) {
      if (!block) continue;
      group.querySelectorAll(".thread:not(.thread-resolved) [data-quote]").forEach((quote) => {
        const range = rangeFor(block, quote.dataset.quote);
        if (range) ranges.push(range);
        else quote.classList.add("quote-gone");
      });
    }
    CSS.highlights.set("comment-quote", new Highlight(...ranges));
  }

  // --- the composer ----------------------------------------------------------------------
  let composerReturn = null;

  function openComposer(block, quote) {
    const form = document.getElementById("comment-form");
    if (!form || !block) return false;
    const start = block.dataset.sourceLine;
    const end = block.dataset.sourceEnd || start;
    form.querySelector("[name=line_start]").value = start;
    form.querySelector("[name=line_end]").value = end;
    form.querySelector("[name=section]").value = "";
    form.querySelector("[name=quote]").value = quote || "";
    const note = document.getElementById("comment-target");
    const lines = start === end ? `line ${start}` : `lines ${start}–${end}`;
    if (note) note.textContent = quote ? `Commenting on “${quote}” (${lines}).` : `Commenting on ${lines}.`;
    document.querySelectorAll(".rendered .comment-target").forEach((el) => el.classList.remove("comment-target"));
    block.classList.add("comment-target");
    composerReturn = block;
    form.classList.add("placed");
    const host = form.closest("details");
    if (host) host.open = true;
    layout();
    const body = form.querySelector("[name=body]");
    body.focus({ preventScroll: true });
    form.scrollIntoView({ block: "nearest" });
    return true;
  }

  function closeComposer(form) {
    form.reset();  // a field left filled in would keep the live refresh away from the margin
    form.classList.remove("placed");
    const host = form.closest("details");
    if (host) host.open = false;
    form.style.top = "";
    document.querySelectorAll(".rendered .comment-target").forEach((el) => el.classList.remove("comment-target"));
    layout();
    if (composerReturn && composerReturn.isConnected) composerReturn.focus();
    composerReturn = null;
  }

  // --- selection -------------------------------------------------------------------------
  function selectedPhrase() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const quote = selection.toString().replace(/\s+/g, " ").trim();
    if (!quote || quote.length > 500) return null;
    const element = (node) => (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    const start = element(selection.anchorNode).closest(BLOCKS);
    const end = element(selection.focusNode).closest(BLOCKS);
    if (!start || start !== end || !document.getElementById("comment-form")) return null;
    return { block: start, quote, rect: selection.getRangeAt(0).getBoundingClientRect() };
  }

  let selectionButton = null;
  function showSelectionButton() {
    const phrase = selectedPhrase();
    if (!phrase) {
      if (selectionButton) selectionButton.hidden = true;
      return;
    }
    if (!selectionButton) {
      selectionButton = document.createElement("button");
      selectionButton.type = "button";
      selectionButton.className = "button selection-comment";
      selectionButton.textContent = "Comment";
      selectionButton.setAttribute("aria-keyshortcuts", "c");
      selectionButton.addEventListener("mousedown", (event) => event.preventDefault());  // keep the selection
      selectionButton.addEventListener("click", () => {
        const now = selectedPhrase();
        window.getSelection().removeAllRanges();  // the quote field holds the words now
        selectionButton.hidden = true;
        if (now) openComposer(now.block, now.quote);
      });
      document.body.appendChild(selectionButton);
    }
    selectionButton.hidden = false;
    selectionButton.style.top = `${window.scrollY + phrase.rect.bottom + 6}px`;
    selectionButton.style.left = `${window.scrollX + Math.max(8, phrase.rect.left)}px`;
  }

  // --- threads: next / previous open, reply, markers --------------------------------------
  function openThreads() {
    const panel = document.getElementById("comments-panel") || document.getElementById("diff-threads");
    const scope = panel ? document : null;
    if (!scope) return [];
    const all = Array.from(document.querySelectorAll(".thread-group .thread:not(.thread-resolved), .thread-group .thread-stub"));
    return all.filter((el) => !el.closest(".detached"));
  }

  function showGroup(group) {
    if (!group) return;
    if (!WIDE.matches && group.closest(".margin-threads") && !opened.has(group.id)) {
      opened.add(group.id);
      layout();
    }
  }

  function focusThread(step) {
    const threads = openThreads();
    if (!threads.length) return;
    const current = threads.indexOf(document.activeElement.closest(".thread, .thread-stub"));
    const index = current === -1 ? (step > 0 ? 0 : threads.length - 1) : (current + step + threads.length) % threads.length;
    const target = threads[index];
    showGroup(target.closest(".thread-group"));
    const more = target.closest("details.more-threads");
    if (more) more.open = true;
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  }

  function replyInFocusedThread() {
    const thread = document.activeElement.closest(".thread");
    const details = thread && thread.querySelector("details.reply");
    if (!details) return false;
    details.open = true;
    details.querySelector("textarea").focus();
    return true;
  }

  function toggleMarker(marker) {
    const ids = marker.dataset.groups.split(" ");
    const groups = ids.map((id) => document.getElementById(id)).filter(Boolean);
    if (WIDE.matches) {
      const first = groups[0] && groups[0].querySelector(".thread, .thread-stub");
      if (first) first.focus();
      return;
    }
    const open = ids.some((id) => opened.has(id));
    ids.forEach((id) => (open ? opened.delete(id) : opened.add(id)));
    layout();
    const again = document.querySelector(`.comment-marker[data-groups="${marker.dataset.groups}"]`);
    if (open) { if (again) again.focus(); return; }
    const first = groups[0] && groups[0].querySelector(".thread, .thread-stub");
    if (first) first.focus();
  }

  // --- a diff's new side -------------------------------------------------------------------
  function placeDiffThreads() {
    const list = document.getElementById("diff-threads");
    if (!list) return;
    const active = document.activeElement;
    document.querySelectorAll("tr.thread-row").forEach((row) => {
      if (!row.querySelector(".thread-group, .composer")) row.remove();
    });
    list.querySelectorAll(":scope > .thread-group[data-anchor-line]").forEach((group) => {
      const row = document.querySelector(`tr[data-new-line="${group.dataset.anchorLine}"]`);
      if (!row) return;
      const old = document.getElementById(`diff-${group.id}`);
      if (old) old.remove();
      const holder = document.createElement("tr");
      holder.className = "thread-row";
      holder.id = `diff-${group.id}`;
      const cell = document.createElement("td");
      cell.colSpan = 4;
      cell.appendChild(group);
      holder.appendChild(cell);
      row.after(holder);
    });
    const rest = list.querySelectorAll(":scope > .thread-group").length;
    const heading = list.querySelector(".hunk-header");
    if (heading) heading.hidden = rest === 0;
    // Moving a group takes focus out of it: give it back to the same element.
    if (active && active !== document.activeElement && active.isConnected) active.focus();
  }

  function openDiffComposer(button) {
    const template = document.getElementById("diff-composer");
    if (!template) return;
    document.querySelectorAll("tr.composer-row").forEach((row) => row.remove());
    const line = button.dataset.line;
    const form = template.content.firstElementChild.cloneNode(true);
    form.querySelector("[name=line_start]").value = line;
    form.querySelector("[name=line_end]").value = line;
    form.querySelector("[data-composer-line]").textContent = line;
    const textarea = form.querySelector("textarea");
    textarea.id = `diff-comment-${line}`;
    form.querySelector(".composer-label").setAttribute("for", textarea.id);
    const holder = document.createElement("tr");
    holder.className = "thread-row composer-row";
    const cell = document.createElement("td");
    cell.colSpan = 4;
    cell.appendChild(form);
    holder.appendChild(cell);
    let after = button.closest("tr");
    while (after.nextElementSibling && after.nextElementSibling.classList.contains("thread-row")) after = after.nextElementSibling;
    after.after(holder);
    window.htmx.process(form);
    form.dataset.returnTo = button.id;
    textarea.focus();
  }

  // --- wiring ----------------------------------------------------------------------------
  let pending = 0;
  function relayout() {
    if (pending) return;
    pending = window.requestAnimationFrame(() => {
      pending = 0;
      layout();
      placeDiffThreads();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("comment-form");
    if (form && form.dataset.placed) form.classList.add("placed");
    layout();
    placeDiffThreads();
    const rendered = document.querySelector(".rendered");
    if (rendered && window.ResizeObserver) new ResizeObserver(relayout).observe(rendered);
  });
  WIDE.addEventListener("change", relayout);
  window.addEventListener("load", relayout);
  document.addEventListener("toggle", relayout, true);
  document.addEventListener("htmx:afterSettle", (event) => {
    const swapped = event.detail.elt;
    // A result inside a crowded group's folded threads: unfold them before app.js focuses it.
    if (swapped && swapped.querySelectorAll) {
      swapped.querySelectorAll("details.more-threads [data-result]").forEach((result) => {
        result.closest("details.more-threads").open = true;
      });
    }
    if (swapped && swapped.id === "comments-panel") {
      const form = document.getElementById("comment-form");
      if (form && form.dataset.placed) form.classList.add("placed");
    }
    layout();
    window.setTimeout(placeDiffThreads, 0);  // after app.js has focused the result in it
    // A thread group loaded on request: focus its first thread (the stub that asked is gone).
    const config = event.detail.requestConfig;
    if (config && config.verb === "get" && swapped && swapped.classList && swapped.classList.contains("thread-group")
      && (document.activeElement === document.body || swapped.contains(document.activeElement))) {
      const first = swapped.querySelector(".thread");
      if (first) first.focus();
    }
  });
  // A diff's composer that was heard goes away (its thread is now under the line).
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (event.detail.successful && form.classList && form.classList.contains("diff-composer")) {
      const row = form.closest("tr.composer-row");
      if (row) row.remove();
    }
  });
  document.addEventListener("selectionchange", () => window.requestAnimationFrame(showSelectionButton));

  document.addEventListener("click", (event) => {
    const marker = event.target.closest(".comment-marker");
    if (marker) { event.preventDefault(); event.stopPropagation(); toggleMarker(marker); return; }
    const close = event.target.closest("[data-close-composer]");
    if (close) {
      const form = close.closest("form");
      const diffRow = close.closest("tr.composer-row");
      if (diffRow) {
        const back = document.getElementById(form.dataset.returnTo);
        diffRow.remove();
        if (back) back.focus();
      } else closeComposer(form);
      return;
    }
    const lineButton = event.target.closest("button.line-comment");
    if (lineButton) openDiffComposer(lineButton);
  }, true);

  // Esc in the composer closes it and gives focus back to the block (or the line's button).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const form = event.target.closest && event.target.closest("form.composer");
    if (!form) return;
    event.preventDefault();
    const close = form.querySelector("[data-close-composer]");
    if (close) close.click();
  });

  window.specMargin = { layout, openComposer, selectedPhrase, focusThread, replyInFocusedThread, blockForLine };
})();
