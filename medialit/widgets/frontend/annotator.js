// The annotator: select words of an article, give them one label per dimension, see them in place.
// One ES module for the notebook widget (anywidget) and the book page (a small local model).
// Model fields: articles, article_id, paragraphs, layers, annotations, message, found, and
// optionally list_title and item_actions (extra buttons on each listed annotation).
// Messages sent: {type: "add", paragraph_id, start, end, layer, labels}, {type: "delete",
// annotation_id}, {type: "find", quote}, {type: "action", action, annotation_id}. The model
// answers by setting annotations/message/found.

const KEYS = ["keydown", "keypress", "keyup"];

const FOCUSABLE = new Set(["select", "input", "button", "textarea"]);

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  if (FOCUSABLE.has(tag) || "tabindex" in attrs) {
    // Lumino matches a shortcut on the focused element itself first: mark each one.
    node.setAttribute("data-lm-suppress-shortcuts", "true");
  }
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function shortText(text, size = 80) {
  return text.length <= size ? text : text.slice(0, size - 1) + "…";
}

export function badgeText(record, layers) {
  const layer = layers.find((l) => l.id === record.layer);
  if (!layer) return `${record.annotation_id} ${record.layer.toUpperCase()}`;
  const chosen = record.labels && Object.keys(record.labels).length
    ? record.labels : { _: record.label };
  const tags = [];
  for (const labelId of Object.values(chosen)) {
    let tag = labelId.toUpperCase();
    for (const dim of layer.dimensions) {
      const found = dim.labels.find((l) => l.id === labelId);
      if (found) tag = found.tag;
    }
    tags.push(tag);
  }
  return `${record.annotation_id} ${layer.tag}: ${tags.join("·")}`;
}

function render({ model, el }) {
  // Keystrokes typed here are the student's: JupyterLab's and Notebook 7's command-mode
  // shortcuts never see them. JupyterLab listens as the event bubbles (stopPropagation stops
  // it); Notebook 7 listens while it is captured, before the widget, and skips a focused
  // element marked data-lm-suppress-shortcuts (Lumino's own opt-out; see h()).
  const root = h("div", { class: "mla", "data-lm-suppress-shortcuts": "true" });
  el.replaceChildren(root);
  for (const type of KEYS) root.addEventListener(type, (event) => event.stopPropagation());

  const state = { anchor: null, focus: null, paragraph: null, rover: null };
  const live = h("p", { class: "mla-live", role: "status", "aria-live": "polite" });
  const articlePick = h("select", { id: uid("article") });
  const articleRow = h("p", { class: "mla-row" },
    h("label", { for: articlePick.id, text: "Article " }), articlePick);
  const help = h("p", { class: "mla-help", id: uid("help"), text:
    "Select words with the mouse (or by touch): the selection snaps to whole words. By " +
    "keyboard: Tab to the text, arrows move from word to word, Shift+Arrow extends, Enter " +
    "adds the annotation, Delete removes yours at that word, Escape clears." });
  const text = h("div", { class: "mla-text", role: "group", "aria-describedby": help.id });
  const chosen = h("p", { class: "mla-chosen-text", text: "No words chosen yet." });
  const quote = h("input", { type: "text", id: uid("quote"), class: "mla-quote",
    placeholder: "paste the exact words from the article" });
  const find = h("button", { type: "button", class: "mla-button", text: "Find these words" });
  const quoteRow = h("p", { class: "mla-row" },
    h("label", { for: quote.id, text: "Or paste a quote: " }), quote, " ", find);
  const layerPick = h("select", { id: uid("layer") });
  const dims = h("div", { class: "mla-dims" });
  const add = h("button", { type: "button", class: "mla-button mla-add",
    text: "Add annotation" });
  const list = h("ol", { class: "mla-list" });
  const listHead = h("h4", { class: "mla-head", text: "My annotations" });
  root.append(
    articleRow, help, text,
    h("div", { class: "mla-panel" },
      h("p", { class: "mla-head", text: "Chosen words" }), chosen, quoteRow,
      h("p", { class: "mla-row" }, h("label", { for: layerPick.id, text: "Layer " }), layerPick),
      dims, add),
    live, listHead, list);

  function uid(name) {
    uid.n = (uid.n || 0) + 1;
    return `mla-${name}-${Math.random().toString(36).slice(2, 8)}-${uid.n}`;
  }
  function say(message) {
    // Re-set the text so that screen readers announce a repeated message too.
    live.textContent = "";
    window.setTimeout(() => { live.textContent = message; }, 30);
  }

  // ------------------------------------------------------------------ the text
  function words() { return Array.from(text.querySelectorAll(".mla-w")); }
  function wordsOf(pid) { return words().filter((w) => w.dataset.pid === pid); }

  function drawText() {
    const paragraphs = model.get("paragraphs") || [];
    const nodes = [];
    for (const p of paragraphs) {
      const para = h("p", { class: `mla-p mla-kind-${p.kind}`, "data-pid": p.id });
      para.append(h("span", { class: "mla-num", "aria-hidden": "true", text: `p${p.number}` }));
      let position = 0;
      p.words.forEach(([s, e], index) => {
        if (s > position) para.append(h("span", { class: "mla-gap", text: p.text.slice(position, s) }));
        para.append(h("span", {
          class: "mla-w", tabindex: "-1", "data-pid": p.id, "data-index": index,
          "data-start": p.start + s, "data-end": p.start + e, text: p.text.slice(s, e),
        }));
        position = e;
      });
      nodes.push(para);
    }
    text.replaceChildren(...nodes);
    text.setAttribute("aria-label", `Words of ${titleOf(model.get("article_id"))}`);
    state.anchor = state.focus = state.paragraph = null;
    const first = words()[0];
    if (first) setRover(first);
    drawMarks();
    showChosen();
  }

  function titleOf(id) {
    const found = (model.get("articles") || []).find((a) => a.id === id);
    return found ? found.title : id;
  }

  function setRover(word) {
    if (state.rover) state.rover.setAttribute("tabindex", "-1");
    state.rover = word;
    word.setAttribute("tabindex", "0");
  }

  function mine() {
    const article = model.get("article_id");
    return (model.get("annotations") || []).filter(
      (r) => r.paragraph_id.split(":")[0] === article);
  }

  function drawMarks() {
    const layers = model.get("layers") || [];
    for (const node of text.querySelectorAll(".mla-badge")) node.remove();
    for (const node of text.querySelectorAll(".mla-on")) {
      node.className = node.className.replace(/\bmla-(on|l-\w+)\b/g, "").trim();
    }
    const all = words();
    for (const record of mine()) {
      const inside = all.filter((w) => w.dataset.pid === record.paragraph_id &&
        +w.dataset.start < record.end && +w.dataset.end > record.start);
      if (!inside.length) continue;
      for (const [i, w] of inside.entries()) {
        w.classList.add("mla-on", `mla-l-${record.layer}`);
        const gap = w.nextSibling;
        if (i < inside.length - 1 && gap && gap.classList.contains("mla-gap")) {
          gap.classList.add("mla-on", `mla-l-${record.layer}`);
        }
      }
      inside[0].before(h("span", { class: `mla-badge mla-b-${record.layer}`,
        "data-badge": badgeText(record, layers), title: record.annotation_id }));
    }
  }

  // ------------------------------------------------------------------ choosing words
  function span() {
    if (!state.anchor || !state.focus) return null;
    const a = +state.anchor.dataset.index, b = +state.focus.dataset.index;
    const ws = wordsOf(state.paragraph);
    const first = ws[Math.min(a, b)], last = ws[Math.max(a, b)];
    const paragraph = (model.get("paragraphs") || []).find((p) => p.id === state.paragraph);
    const start = +first.dataset.start, end = +last.dataset.end;
    return { paragraph_id: state.paragraph, start, end, first, last,
      text: paragraph.text.slice(start - paragraph.start, end - paragraph.start) };
  }

  function choose(anchor, focus, announce = true) {
    state.anchor = anchor; state.focus = focus; state.paragraph = anchor.dataset.pid;
    showChosen(announce);
  }

  function showChosen(announce = false) {
    for (const w of text.querySelectorAll(".mla-chosen")) w.classList.remove("mla-chosen");
    const chosenSpan = span();
    if (!chosenSpan) {
      chosen.textContent = "No words chosen yet.";
      return;
    }
    let on = false;
    for (const node of chosenSpan.first.parentNode.children) {
      if (node === chosenSpan.first) on = true;
      if (on && !node.classList.contains("mla-num") && !node.classList.contains("mla-badge")) {
        node.classList.add("mla-chosen");
      }
      if (node === chosenSpan.last) break;
    }
    const number = chosenSpan.paragraph_id.split(":p")[1];
    const count = +chosenSpan.last.dataset.index - +chosenSpan.first.dataset.index + 1;
    chosen.textContent = `Paragraph ${+number}, ${count} word${count > 1 ? "s" : ""}: ` +
      `“${chosenSpan.text}”`;
    if (announce) say(`Chosen: “${shortText(chosenSpan.text)}”`);
  }

  function wordAt(node, offset, forward) {
    // The word holding a selection end; between words, the next (start) or previous (end) one.
    let element = node.nodeType === 3 ? node.parentNode : node;
    if (element === text || element.classList.contains("mla-p")) {
      const kids = element === text ? [] : Array.from(element.childNodes);
      element = kids[Math.min(offset, kids.length - 1)] || null;
      if (!element) return null;
    }
    const word = element.closest ? element.closest(".mla-w") : null;
    if (word) return word;
    let step = element.closest ? element.closest(".mla-gap, .mla-num, .mla-badge") : element;
    while (step) {
      step = forward ? step.nextElementSibling : step.previousElementSibling;
      if (step && step.classList.contains("mla-w")) return step;
    }
    return null;
  }

  function selection() {
    const rootNode = el.getRootNode();
    return (rootNode.getSelection && rootNode.getSelection()) || window.getSelection();
  }

  function fromSelection() {
    const sel = selection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return false;
    const range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) && !text.contains(range.endContainer)) return false;
    let first = text.contains(range.startContainer)
      ? wordAt(range.startContainer, range.startOffset, true) : words()[0];
    let last = text.contains(range.endContainer)
      ? wordAt(range.endContainer, range.endOffset, false) : words().at(-1);
    if (!first || !last) return false;
    if (+first.dataset.start >= +last.dataset.end && first !== last) [first, last] = [last, first];
    let clipped = false;
    if (first.dataset.pid !== last.dataset.pid) {
      last = wordsOf(first.dataset.pid).at(-1);
      clipped = true;
    }
    sel.removeAllRanges();
    choose(first, last, false);
    setRover(last);
    const chosenSpan = span();
    say(`Chosen: “${shortText(chosenSpan.text)}”` +
      (clipped ? ". An annotation stays in one paragraph: the selection was cut at its end." : ""));
    return true;
  }

  // A drag is read from the selection it makes; when the browser leaves none (a drag that
  // starts on a gap or a one-letter word can collapse it), from the words under the pointer.
  const wordUnder = (event) => event.target.closest && event.target.closest(".mla-w");
  text.addEventListener("mousedown", (event) => { state.down = wordUnder(event); });
  text.addEventListener("mouseup", (event) => {
    const down = state.down, up = wordUnder(event);
    state.down = null;
    window.setTimeout(() => {
      if (fromSelection()) return;
      if (down && up && down.dataset.pid === up.dataset.pid) {
        const [a, b] = +down.dataset.index <= +up.dataset.index ? [down, up] : [up, down];
        choose(a, b);
        setRover(b);
      } else if (up) {
        choose(up, up);
        setRover(up);
      }
    }, 0);
  });
  // Touch: the selection handles are dragged after the finger lifts, so follow the selection
  // itself for a moment after a touch (never during a mouse drag, which it would cut short).
  let touchedAt = 0, settle = 0;
  text.addEventListener("touchstart", () => { touchedAt = Date.now(); }, { passive: true });
  const onSelectionChange = () => {
    if (Date.now() - touchedAt > 15000) return;
    window.clearTimeout(settle);
    settle = window.setTimeout(fromSelection, 700);
  };
  document.addEventListener("selectionchange", onSelectionChange);

  text.addEventListener("keydown", (event) => {
    const word = event.target.closest && event.target.closest(".mla-w");
    if (!word) return;
    const all = words();
    const index = all.indexOf(word);
    const same = wordsOf(word.dataset.pid);
    let next = null;
    if (event.key === "ArrowRight") next = all[index + 1];
    else if (event.key === "ArrowLeft") next = all[index - 1];
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const paras = Array.from(text.querySelectorAll(".mla-p"));
      const at = paras.indexOf(word.parentNode) + (event.key === "ArrowDown" ? 1 : -1);
      next = paras[at] && paras[at].querySelector(".mla-w");
    } else if (event.key === "Home") next = same[0];
    else if (event.key === "End") next = same.at(-1);
    else if (event.key === "Enter") { event.preventDefault(); addChosen(); return; }
    else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault(); deleteAt(word); return;
    } else if (event.key === "Escape") {
      state.anchor = state.focus = null; showChosen(); say("Nothing chosen."); return;
    } else return;
    event.preventDefault();
    if (!next) return;
    setRover(next);
    next.focus();
    if (event.shiftKey && state.anchor && next.dataset.pid === state.paragraph) {
      choose(state.anchor, next);
    } else if (event.shiftKey && !state.anchor && next.dataset.pid === word.dataset.pid) {
      choose(word, next);
    } else {
      choose(next, next);
    }
  });

  // ------------------------------------------------------------------ labels
  function drawLayers() {
    const layers = model.get("layers") || [];
    const current = layerPick.value;
    layerPick.replaceChildren(...layers.map((l) => h("option", { value: l.id, text: l.name })));
    if (layers.some((l) => l.id === current)) layerPick.value = current;
    drawDimensions();
  }

  function currentLayer() {
    return (model.get("layers") || []).find((l) => l.id === layerPick.value);
  }

  function drawDimensions() {
    const layer = currentLayer();
    dims.replaceChildren();
    if (!layer) return;
    for (const dim of layer.dimensions) {
      const select = h("select", { id: uid("dim"), "data-dim": dim.id });
      const definition = h("p", { class: "mla-def", id: uid("def") });
      select.setAttribute("aria-describedby", definition.id);
      select.append(h("option", { value: "",
        text: dim.required ? "— choose —" : "— none —" }));
      for (const label of dim.labels) {
        select.append(h("option", { value: label.id, text: `${label.name} (${label.tag})` }));
      }
      const describe = () => {
        const label = dim.labels.find((l) => l.id === select.value);
        definition.textContent = label ? `${label.name}: ${label.definition}` :
          (dim.required ? `Choose a ${dim.name.toLowerCase()}.` : "Optional.");
      };
      select.addEventListener("change", describe);
      describe();
      dims.append(h("div", { class: "mla-dim" },
        h("label", { for: select.id, text: `${dim.name}${dim.required ? "" : " (optional)"} ` }),
        select, definition));
    }
  }
  layerPick.addEventListener("change", drawDimensions);

  function chosenLabels() {
    const layer = currentLayer();
    const labels = {};
    for (const select of dims.querySelectorAll("select")) {
      if (select.value) labels[select.dataset.dim] = select.value;
    }
    const missing = layer.dimensions.find((d) => d.required && !labels[d.id]);
    return { layer, labels, missing };
  }

  function addChosen() {
    const chosenSpan = span();
    if (!chosenSpan) { say("Not added: choose words first."); return; }
    const { layer, labels, missing } = chosenLabels();
    if (missing) { say(`Not added: choose a ${missing.name.toLowerCase()} first.`); return; }
    model.send({ type: "add", paragraph_id: chosenSpan.paragraph_id, start: chosenSpan.start,
      end: chosenSpan.end, layer: layer.id, labels });
  }
  add.addEventListener("click", addChosen);

  function deleteAt(word) {
    const at = +word.dataset.start;
    const found = mine().filter((r) => r.paragraph_id === word.dataset.pid &&
      r.start <= at && r.end > at).at(-1);
    if (!found) { say("None of your annotations is at this word."); return; }
    model.send({ type: "delete", annotation_id: found.annotation_id });
  }

  // ------------------------------------------------------------------ quotes
  function findQuote() {
    if (!quote.value.trim()) { say("Paste the words you want to mark first."); return; }
    model.send({ type: "find", quote: quote.value });
  }
  find.addEventListener("click", findQuote);
  quote.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); findQuote(); }
  });

  function onFound() {
    const found = model.get("found");
    if (!found || !found.paragraph_id) return;
    const inside = wordsOf(found.paragraph_id).filter(
      (w) => +w.dataset.start < found.end && +w.dataset.end > found.start);
    if (!inside.length) return;
    choose(inside[0], inside.at(-1));
    setRover(inside.at(-1));
  }

  // ------------------------------------------------------------------ the list
  function drawList() {
    const layers = model.get("layers") || [];
    const records = model.get("annotations") || [];
    listHead.textContent = `${model.get("list_title") || "My annotations"} (${records.length})`;
    list.replaceChildren(...records.map((record) => {
      const showButton = h("button", { type: "button", class: "mla-button",
        text: "Show", "aria-label": `Show ${record.annotation_id}` });
      const deleteButton = h("button", { type: "button", class: "mla-button",
        text: "Delete", "aria-label": `Delete ${record.annotation_id}` });
      showButton.addEventListener("click", () => {
        if (record.paragraph_id.split(":")[0] !== model.get("article_id")) {
          model.set("article_id", record.paragraph_id.split(":")[0]);
          model.save_changes();
        }
        model.set("found", { paragraph_id: record.paragraph_id, start: record.start,
          end: record.end, n: Date.now() });
        onFound();
        if (state.rover) state.rover.focus();
      });
      deleteButton.addEventListener("click", () =>
        model.send({ type: "delete", annotation_id: record.annotation_id }));
      const extra = (model.get("item_actions") || []).map((action) => {
        const button = h("button", { type: "button", class: "mla-button mla-action",
          text: action, "aria-label": `${action} ${record.annotation_id}` });
        button.addEventListener("click", () => model.send(
          { type: "action", action, annotation_id: record.annotation_id }));
        return [" ", button];
      }).flat();
      return h("li", { class: `mla-item mla-i-${record.layer}` },
        h("span", { class: "mla-item-badge", text: badgeText(record, layers) }), " ",
        h("span", { text: `${record.paragraph_id} “${shortText(record.text)}” ` }),
        showButton, ...extra, " ", deleteButton);
    }));
  }

  function drawArticles() {
    const articles = model.get("articles") || [];
    articlePick.replaceChildren(...articles.map((a) => h("option", { value: a.id, text: a.title })));
    articlePick.value = model.get("article_id");
    articleRow.hidden = articles.length < 2;
  }
  articlePick.addEventListener("change", () => {
    model.set("article_id", articlePick.value);
    model.save_changes();
  });

  function onMessage() {
    const message = model.get("message");
    if (message && message.text) say(message.text);
  }

  const handlers = {
    "change:paragraphs": drawText,
    "change:annotations": () => { drawMarks(); showChosen(); drawList(); },
    "change:item_actions": drawList,
    "change:list_title": drawList,
    "change:layers": drawLayers,
    "change:articles": drawArticles,
    "change:article_id": drawArticles,
    "change:message": onMessage,
    "change:found": onFound,
  };
  for (const [name, handler] of Object.entries(handlers)) model.on(name, handler);
  drawArticles();
  drawLayers();
  drawText();
  drawList();
  onMessage();
  return () => {
    for (const [name, handler] of Object.entries(handlers)) model.off(name, handler);
    document.removeEventListener("selectionchange", onSelectionChange);
  };
}

export default { render };
