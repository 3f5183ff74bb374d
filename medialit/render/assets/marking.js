// The hand-grading view: one answer at a time beside its rubric, marked by keyboard or mouse.
// An ES module with anywidget's interface, render({ model, el }); the page below gives it a
// small model over localStorage. Students' text goes in with textContent only, never as markup.

const SEP = "\u001f";
const FORMULA = /^[=+\-@\t\r]/;

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") { node.textContent = value; }
    else if (name.startsWith("on")) { node.addEventListener(name.slice(2), value); }
    else if (value === true) { node.setAttribute(name, ""); }
    else if (value !== false && value !== null && value !== undefined) { node.setAttribute(name, value); }
  }
  for (const child of children) {
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function keyOf(entry) { return [entry.student, entry.set, entry.item].join(SEP); }

function points(value) { return String(Math.round(value * 100) / 100); }

export function csvCell(value) {
  let text = String(value ?? "");
  if (FORMULA.test(text) && Number.isNaN(Number(text))) { text = "'" + text; }
  return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

export function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { cell += '"'; i += 1; }
      else if (char === '"') { quoted = false; }
      else { cell += char; }
    } else if (char === '"') { quoted = true; }
    else if (char === ",") { row.push(cell); cell = ""; }
    else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") { i += 1; }
      row.push(cell); rows.push(row); row = []; cell = "";
    } else { cell += char; }
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

function unguard(cell) {
  const text = (cell || "").trim();
  return text.startsWith("'") && FORMULA.test(text.slice(1)) ? text.slice(1) : text;
}

// The key that chooses each rubric line: its points for levels 0-9 that differ, else 1, 2, 3...
function rubricKeys(item) {
  const values = item.rubric.map((line) => line.points);
  const byPoints = item.mode === "levels" && new Set(values).size === values.length &&
    values.every((p) => Number.isInteger(p) && p >= 0 && p <= 9);
  return item.rubric.map((line, index) => (byPoints ? String(line.points) : String(index + 1)));
}

function levelsFor(item, value) {
  if (item.mode !== "levels") { return []; }
  const found = item.rubric.flatMap((line, index) => (line.points === value ? [index] : []));
  return found.length === 1 ? found : [];
}

// The rubric lines a scores.csv "rubric" cell names (1-based, "2" or "1;3"), as 0-based
// indexes, when they exist and agree with the points; else null (the points count alone).
export function linesFromCell(item, cell, value) {
  const text = String(cell ?? "").trim();
  if (!text) { return null; }
  const parts = text.split(/[;,]/).map((part) => part.trim());
  if (!parts.every((part) => /^\d+$/.test(part))) { return null; }
  const lines = [...new Set(parts.map(Number))].sort((a, b) => a - b).map((n) => n - 1);
  if (!lines.every((i) => i >= 0 && i < item.rubric.length)) { return null; }
  if (item.mode === "levels" && lines.length !== 1) { return null; }
  const sum = lines.reduce((total, i) => total + item.rubric[i].points, 0);
  return Math.abs(sum - value) < 1e-9 ? lines : null;
}

// The "rubric" cell of scores.csv for a mark: its lines, 1-based ("" when points were typed).
function rubricCell(mark) {
  return [...(mark.levels || [])].sort((a, b) => a - b).map((i) => String(i + 1)).join(";");
}

export function render({ model, el }) {
  const items = model.get("items");
  const entries = model.get("entries");
  const stored = model.get("state") || {};
  const state = {
    marks: stored.marks || {}, comments: stored.comments || {},
    order: stored.order === "student" ? "student" : "item",
    hideNames: Boolean(stored.hideNames), current: stored.current || null,
  };
  const setOrder = [...new Set(Object.values(items).map((item) => item.set))];
  const itemOrder = Object.keys(items);
  let order = [];
  let position = 0;

  const save = () => { model.set("state", { ...state }); model.save_changes(); };
  const itemOf = (entry) => items[entry.set + "/" + entry.item];
  const current = () => entries[order[position]];

  function markOf(entry) {
    let mark = state.marks[keyOf(entry)];
    if (!mark && entry.mark) {
      const item = itemOf(entry);
      const given = (entry.mark.rubric || []).map((n) => n - 1);
      mark = { points: entry.mark.points, comment: entry.mark.comment,
               levels: given.length ? given : levelsFor(item, entry.mark.points),
               digest: entry.digest };
    }
    if (!mark) { return { mark: null, stale: false }; }
    return { mark, stale: mark.digest !== entry.digest };
  }
  const isMarked = (entry) => {
    const { mark, stale } = markOf(entry);
    return Boolean(mark) && !stale && typeof mark.points === "number";
  };
  const nameOf = (entry, index) => (state.hideNames ? "Student " + (index + 1) : entry.student);

  function sortOrder() {
    const byItem = (e) => [setOrder.indexOf(e.set), itemOrder.indexOf(e.set + "/" + e.item)];
    order = entries.map((_, index) => index).sort((a, b) => {
      const [x, y] = [entries[a], entries[b]];
      const first = state.order === "item" ? [...byItem(x), x.student] : [x.student, ...byItem(x)];
      const second = state.order === "item" ? [...byItem(y), y.student] : [y.student, ...byItem(y)];
      for (let i = 0; i < first.length; i += 1) {
        if (first[i] < second[i]) { return -1; }
        if (first[i] > second[i]) { return 1; }
      }
      return 0;
    });
    const at = order.findIndex((index) => keyOf(entries[index]) === state.current);
    position = at >= 0 ? at : 0;
  }

  // ---- the page's parts
  const orderItem = h("input", { type: "radio", name: "hg-order", value: "item", id: "hg-order-item" });
  const orderStudent = h("input",
    { type: "radio", name: "hg-order", value: "student", id: "hg-order-student" });
  const hideNames = h("input", { type: "checkbox", id: "hg-hide" });
  const jump = h("select", { id: "hg-jump" });
  const nav = h("section", { class: "hg-nav", "aria-label": "Order and navigation" },
    h("fieldset", {}, h("legend", { text: "Go through the answers" }),
      h("label", { for: "hg-order-item" }, orderItem, " item by item, every student (fairest)"),
      h("label", { for: "hg-order-student" }, orderStudent, " student by student")),
    h("label", { for: "hg-hide" }, hideNames, " hide student names"),
    h("label", { for: "hg-jump", class: "hg-jump" }, "Answer ", jump),
    h("div", { class: "hg-buttons" },
      h("button", { type: "button", onclick: () => move(-1) }, "Previous ", h("kbd", { text: "P" })),
      h("button", { type: "button", onclick: () => move(1) }, "Next ", h("kbd", { text: "N" })),
      h("button", { type: "button", onclick: nextUnmarked }, "Next unmarked ", h("kbd", { text: "U" }))));

  const answerTitle = h("h2", { id: "hg-answer-title" });
  const answerMeta = h("p", { class: "hg-meta" });
  const answerNotes = h("ul", { class: "hg-notes" });
  const answerText = h("div", { class: "hg-text", tabindex: "0", role: "region",
                                 "aria-label": "The student's answer" });
  const answer = h("section", { class: "hg-answer", "aria-labelledby": "hg-answer-title" },
    answerTitle, answerMeta, answerNotes, answerText);

  const rubricTitle = h("h2", { id: "hg-rubric-title" });
  const rubricHow = h("p", { class: "hg-how" });
  const levels = h("div", { class: "hg-levels", role: "group", "aria-labelledby": "hg-rubric-title" });
  const pointsInput = h("input", { type: "number", id: "hg-points", min: "0", step: "any",
                                    inputmode: "decimal", "aria-describedby": "hg-points-error" });
  const pointsError = h("p", { id: "hg-points-error", class: "hg-error", role: "alert" });
  const markState = h("p", { class: "hg-state", "aria-live": "polite" });
  const comment = h("textarea", { id: "hg-comment", rows: "4" });
  const saved = h("ol", { class: "hg-saved" });
  const rubric = h("section", { class: "hg-rubric", "aria-labelledby": "hg-rubric-title" },
    rubricTitle, rubricHow, levels,
    h("div", { class: "hg-points" }, h("label", { for: "hg-points" }, "Points "), pointsInput,
      h("button", { type: "button", onclick: clearMark }, "Clear mark ", h("kbd", { text: "Delete" }))),
    pointsError, markState,
    h("label", { for: "hg-comment" }, "Comment for the student ", h("kbd", { text: "C" }),
      h("span", { class: "hg-hint", text: " (Esc leaves the box)" })),
    comment,
    h("button", { type: "button", onclick: keepComment },
      "Save this comment for reuse ", h("kbd", { text: "S" })),
    h("h3", { text: "Reusable comments for this item" }), saved);

  const message = h("p", { class: "hg-message", role: "status", "aria-live": "polite" });
  const fileInput = h("input", { type: "file", id: "hg-import", accept: ".csv,text/csv" });
  const files = h("section", { class: "hg-files", "aria-labelledby": "hg-files-title" },
    h("h2", { id: "hg-files-title", text: "Scores file" }),
    h("p", { text: "Your marks are kept in this browser as you work. Download scores.csv and give " +
             "it to `medialit grade DIR --manual scores.csv`; import one to go on from it." }),
    h("button", { type: "button", onclick: download }, "Download scores.csv ", h("kbd", { text: "D" })),
    h("label", { for: "hg-import" }, "Import an earlier scores.csv "), fileInput, message);

  const shortcuts = [
    ["0-9", "choose the rubric line with that key"],
    ["Shift+1 to Shift+9", "insert reusable comment 1-9"],
    ["N / P", "next / previous answer"], ["U", "next answer not marked"], ["C", "write a comment"],
    ["Esc", "leave the comment or points box"], ["S", "save the comment for reuse"],
    ["Delete", "clear the mark"], ["D", "download scores.csv"]];
  const keys = h("details", { class: "hg-keys" }, h("summary", { text: "Keyboard shortcuts" }),
    h("dl", {}, ...shortcuts.flatMap(([key, what]) =>
      [h("dt", {}, h("kbd", { text: key })), h("dd", { text: what })])));

  el.replaceChildren(nav, h("div", { class: "hg-work" }, answer, rubric), files, keys);
  const progress = document.querySelector(".hg-progress");
  const bar = document.querySelector(".hg-bar");

  // ---- marking
  function setMark(change) {
    const entry = current();
    const { mark, stale } = markOf(entry);
    const base = mark && !stale ? mark : { points: null, comment: mark ? mark.comment : "", levels: [] };
    state.marks[keyOf(entry)] = { ...base, ...change, digest: entry.digest };
    save();
    update();
  }

  function chooseLine(index) {
    const entry = current();
    const item = itemOf(entry);
    if (index < 0 || index >= item.rubric.length) { return; }
    if (item.mode === "levels") {
      setMark({ points: item.rubric[index].points, levels: [index] });
      return;
    }
    const { mark, stale } = markOf(entry);
    const had = mark && !stale ? mark.levels || [] : [];
    const chosen = had.includes(index) ? had.filter((i) => i !== index)
      : [...had, index].sort((a, b) => a - b);
    setMark({ points: chosen.reduce((sum, i) => sum + item.rubric[i].points, 0), levels: chosen });
  }

  function clearMark() {
    const entry = current();
    if (entry.mark) {  // a merged mark comes back from the page's data unless cleared here
      state.marks[keyOf(entry)] = { points: null, comment: "", levels: [], digest: entry.digest };
    } else {
      delete state.marks[keyOf(entry)];
    }
    save();
    update();
  }

  function typedPoints() {
    const item = itemOf(current());
    const text = pointsInput.value.trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value) || value < 0 || value > item.points) {
      pointsError.textContent = `Points must be a number from 0 to ${points(item.points)}.`;
      return;
    }
    pointsError.textContent = "";
    const { mark } = markOf(current());
    const lines = item.mode === "levels" ? levelsFor(item, value) : (mark && mark.levels) || [];
    const sum = lines.reduce((total, i) => total + item.rubric[i].points, 0);
    setMark({ points: value, levels: item.mode === "levels" || sum === value ? lines : [] });
  }

  function keepComment() {
    const text = comment.value.trim();
    const itemKey = current().set + "/" + current().item;
    const list = state.comments[itemKey] || [];
    if (!text || list.includes(text)) { return; }
    state.comments[itemKey] = [...list, text];
    save();
    update();
  }

  function removeComment(entry, index) {
    const itemKey = entry.set + "/" + entry.item;
    state.comments[itemKey] = (state.comments[itemKey] || []).filter((_, i) => i !== index);
    save();
    update();
  }

  function insertComment(number) {
    const list = state.comments[current().set + "/" + current().item] || [];
    const text = list[number - 1];
    if (!text) { return; }
    const { mark, stale } = markOf(current());
    const before = mark && !stale ? mark.comment || "" : comment.value;
    setMark({ comment: before ? before.trimEnd() + " " + text : text });
  }

  function move(step) {
    if (!order.length) { return; }
    position = (position + step + order.length) % order.length;
    state.current = keyOf(current());
    save();
    update();
    answerText.focus();
  }

  function nextUnmarked() {
    for (let step = 1; step <= order.length; step += 1) {
      const index = (position + step) % order.length;
      if (!isMarked(entries[order[index]])) { move(step); return; }
    }
    message.textContent = "Every answer is marked.";
  }

  // ---- showing
  function update() {
    const total = entries.length;
    const done = entries.filter(isMarked).length;
    const changed = entries.filter((entry) => markOf(entry).stale).length;
    progress.textContent = `${done} of ${total} marked` +
      (changed ? `; ${changed} changed since marked (mark again)` : "");
    bar.max = Math.max(total, 1);
    bar.value = done;
    orderItem.checked = state.order === "item";
    orderStudent.checked = state.order === "student";
    hideNames.checked = state.hideNames;
    jump.replaceChildren(...order.map((index, at) => {
      const entry = entries[index];
      const { mark, stale } = markOf(entry);
      const status = stale ? "changed since marked"
        : isMarked(entry) ? `marked ${points(mark.points)}` : "not marked";
      const text = `${at + 1}. ${nameOf(entry, index)}: ${entry.set} ${entry.item} (${status})`;
      return h("option", { value: String(at), text });
    }));
    if (!total) { answerTitle.textContent = "No answers to mark."; return; }
    jump.value = String(position);
    const entry = current();
    const item = itemOf(entry);
    const { mark, stale } = markOf(entry);
    const live = mark && !stale ? mark : null;
    answerTitle.textContent =
      `${nameOf(entry, order[position])}: ${item.set_title}, ${entry.item} ${item.title}`;
    answerMeta.textContent = `Answer ${position + 1} of ${total} · ${entry.words} words`;
    const notes = [];
    if (!entry.words) { notes.push("Blank: nothing was written (mark it 0, or leave it pending)."); }
    if (item.min_words && entry.words && entry.words < item.min_words) {
      notes.push(`Shorter than the ${item.min_words} words asked for.`);
    }
    if (entry.cut) {
      const size = entry.chars.toLocaleString("en");
      notes.push(`Very long (${size} characters): only the beginning is shown.`);
    }
    if (entry.escaped) {
      notes.push("Holds control or text-direction characters, shown as escapes such as \\u202e.");
    }
    if (stale) {
      notes.push(`You marked an earlier version of this answer (${points(mark.points ?? 0)} ` +
                 "points); it has changed since: mark it again.");
    }
    answerNotes.replaceChildren(...notes.map((note) => h("li", { text: "Note: " + note })));
    const parts = entry.text.split(/\n{2,}/);
    answerText.replaceChildren(...parts.map((part) => h("p", { dir: "auto", text: part })));

    rubricTitle.textContent = `Rubric: ${entry.item}, ${points(item.points)} points`;
    rubricHow.textContent = item.mode === "levels"
      ? "Choose the one level that fits the answer."
      : "Tick each criterion the answer meets; the points add up.";
    const keysFor = rubricKeys(item);
    levels.replaceChildren(...item.rubric.map((line, index) => {
      const on = Boolean(live && (live.levels || []).includes(index));
      return h("button", { type: "button", class: "hg-line", "aria-pressed": on ? "true" : "false",
                           onclick: () => chooseLine(index) },
        h("kbd", { text: keysFor[index] }),
        h("span", { class: "hg-check", "aria-hidden": "true", text: on ? "✓" : "" }),
        h("span", { class: "hg-line-points", text: `${points(line.points)} pt` }),
        h("span", { class: "hg-line-text", text: line.criterion }));
    }));
    pointsInput.max = String(item.points);
    if (document.activeElement !== pointsInput) {
      pointsInput.value = live && typeof live.points === "number" ? points(live.points) : "";
      pointsError.textContent = "";
    }
    if (document.activeElement !== comment) { comment.value = live ? live.comment || "" : ""; }
    markState.textContent = live && typeof live.points === "number"
      ? `✓ Marked: ${points(live.points)} of ${points(item.points)} points.`
      : "Not marked yet.";
    markState.dataset.marked = live && typeof live.points === "number" ? "yes" : "no";
    const list = state.comments[entry.set + "/" + entry.item] || [];
    saved.replaceChildren(...(list.length ? list.map((text, index) => h("li", {},
      h("button", { type: "button", onclick: () => insertComment(index + 1),
                    "aria-label": `Insert comment ${index + 1}: ${text}` },
        index < 9 ? h("kbd", { text: `Shift+${index + 1}` }) : "", " ", h("span", { text: text })),
      h("button", { type: "button", class: "hg-remove", "aria-label": `Remove comment ${index + 1}`,
                    onclick: () => removeComment(entry, index) },
        "Remove"))) : [h("li", { class: "hg-none", text: "None yet: write one, then press S." })]));
  }

  // ---- the scores file
  function scoresCsv() {
    const rows = [["student", "set", "item", "points", "comment", "digest", "rubric"]];
    const byItem = [...entries].sort((a, b) =>
      itemOrder.indexOf(a.set + "/" + a.item) - itemOrder.indexOf(b.set + "/" + b.item) ||
      (a.student < b.student ? -1 : a.student > b.student ? 1 : 0));
    for (const entry of byItem) {
      if (!isMarked(entry)) { continue; }
      const { mark } = markOf(entry);
      const { student, set, item, digest } = entry;
      rows.push([student, set, item, points(mark.points), mark.comment || "", digest,
                 rubricCell(mark)]);
    }
    const text = rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
    return { text, count: rows.length - 1 };
  }

  function download() {
    const { text, count } = scoresCsv();
    const link = h("a", { href: URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/csv" })),
                          download: "scores.csv", hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    message.textContent = `scores.csv holds ${count} mark${count === 1 ? "" : "s"}.`;
  }

  function importCsv(name, text) {
    const rows = parseCsv(text.replace(/^\ufeff/, ""));
    const header = (rows[0] || []).map((cell) => cell.trim().toLowerCase());
    const missing = ["student", "set", "item", "points"].filter((column) => !header.includes(column));
    if (missing.length) {
      message.textContent = `${name}: not imported: it has no ${missing.join(", ")} column. ` +
        "Use a scores.csv this page saved.";
      return;
    }
    const byKey = new Map(entries.map((entry) => [keyOf(entry), entry]));
    const problems = [];
    let imported = 0, changed = 0;
    rows.slice(1).forEach((cells, index) => {
      if (!cells.some((cell) => cell.trim())) { return; }
      const row = Object.fromEntries(header.map((column, i) => [column, unguard(cells[i])]));
      const line = index + 2;
      const entry = byKey.get([row.student, row.set, row.item].join(SEP));
      if (!entry) {
        problems.push(`line ${line}: no answer of ${row.student} to ${row.set} ${row.item} waits here`);
        return;
      }
      const item = itemOf(entry);
      const value = Number(row.points);
      if (row.points === "" || !Number.isFinite(value) || value < 0 || value > item.points) {
        const given = JSON.stringify(row.points);
        problems.push(`line ${line}: points ${given} are not from 0 to ${points(item.points)}`);
        return;
      }
      const digest = row.digest ? row.digest.toLowerCase() : entry.digest;
      if (digest !== entry.digest) { changed += 1; }
      const levels = linesFromCell(item, row.rubric, value) ?? levelsFor(item, value);
      state.marks[keyOf(entry)] = { points: value, comment: row.comment || "", levels, digest };
      imported += 1;
    });
    save();
    update();
    message.textContent = `${name}: imported ${imported} mark${imported === 1 ? "" : "s"}` +
      (changed ? `, ${changed} for answers that changed since (shown as changed: mark them again)` : "") +
      (problems.length ? `; ${problems.length} row${problems.length === 1 ? "" : "s"} not ` +
        `imported: ${problems.slice(0, 5).join("; ")}` : "") + ".";
  }

  // ---- events
  orderItem.addEventListener("change", () => { state.order = "item"; sortOrder(); save(); update(); });
  orderStudent.addEventListener("change", () => {
    state.order = "student"; sortOrder(); save(); update();
  });
  hideNames.addEventListener("change", () => { state.hideNames = hideNames.checked; save(); update(); });
  jump.addEventListener("change", () => {
    position = Number(jump.value);
    state.current = keyOf(current());
    save();
    update();
  });
  pointsInput.addEventListener("change", typedPoints);
  pointsInput.addEventListener("keydown", (event) => { if (event.key === "Enter") { typedPoints(); } });
  comment.addEventListener("input", () => setMark({ comment: comment.value }));
  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    if (!file) { return; }
    file.text().then((text) => importCsv(file.name, text), () => {
      message.textContent = `${file.name}: could not be read.`;
    });
    fileInput.value = "";
  });

  const typing = (node) => node && (node.tagName === "TEXTAREA" || node.tagName === "SELECT" ||
    (node.tagName === "INPUT" && !["radio", "checkbox", "button"].includes(node.type)));
  el.ownerDocument.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !entries.length) { return; }
    if (typing(event.target)) {
      if (event.key === "Escape") { event.target.blur(); answerText.focus(); }
      return;
    }
    const digit = /^Digit([1-9])$/.exec(event.code);
    if (event.shiftKey && digit) { insertComment(Number(digit[1])); event.preventDefault(); return; }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const lines = rubricKeys(itemOf(current()));
    const actions = {
      n: () => move(1), p: () => move(-1), u: nextUnmarked, d: download, s: keepComment,
      c: () => comment.focus(), Delete: clearMark,
    };
    if (!event.shiftKey && lines.includes(key)) { chooseLine(lines.indexOf(key)); }
    else if (actions[key] && !event.shiftKey) { actions[key](); }
    else { return; }
    event.preventDefault();
  });

  sortOrder();
  update();
}

// ---- the page: data from the JSON block, state in localStorage under the class's key
const dataNode = document.getElementById("hg-data");
const mount = document.querySelector("[data-hand-grading] main");
if (dataNode && mount) {
  const data = JSON.parse(dataNode.textContent);
  const storageKey = "medialit-hand-grading:" + data.key;
  let state = null, pending = null, warned = false;
  try { state = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (error) { state = null; }
  const model = {
    get: (name) => (name === "state" ? state : data[name]),
    set: (name, value) => { if (name === "state") { pending = value; } },
    save_changes: () => {
      if (pending === null) { return; }
      try { localStorage.setItem(storageKey, JSON.stringify(pending)); }
      catch (error) {
        if (!warned) {
          warned = true;
          document.querySelector(".hg-progress").after(document.createTextNode(
            " This browser does not keep your work for this page: download scores.csv often."));
        }
      }
      state = pending;
    },
    on: () => {}, off: () => {},
  };
  render({ model, el: mount });
}
