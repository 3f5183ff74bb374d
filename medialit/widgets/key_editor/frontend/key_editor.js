// The key editor's entry panel (instructor only; never in the student release): one key entry's
// values to accept, edit or delete, and what is left to do in the key.
// Model fields: entry {id, paragraph_id, layer, text, todo, confidence, rationale, fields:
// [{name, kind: text|label|labels, value, options: [{id, name}]}]}, summary {file, status, todo,
// entries, remaining: [...]}, message {kind, text, n}.
// Messages sent: {type: "save", id, values, decided}, {type: "accept", id}, {type: "delete", id},
// {type: "next", id}, {type: "show", id}, {type: "status", status}.

const STATUSES = ["draft", "pilot", "reviewed"];

function make(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  if (["select", "input", "button", "textarea"].includes(tag)) {
    node.setAttribute("data-lm-suppress-shortcuts", "true");  // Lumino's opt-out (annotator.js)
  }
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter(Boolean));
  return node;
}

let counter = 0;
const idFor = (name) => `mlk-${name}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;

function render({ model, el }) {
  // Keys typed in the panel are the instructor's, never JupyterLab's command-mode shortcuts.
  const root = make("section", { class: "mlk", "aria-label": "Key entry editor",
    "data-lm-suppress-shortcuts": "true" });
  for (const type of ["keydown", "keypress", "keyup"]) {
    root.addEventListener(type, (event) => event.stopPropagation());
  }
  el.replaceChildren(root);
  const head = make("h4", { class: "mlk-head" });
  const statusPick = make("select", { id: idFor("status"), class: "mlk-status" },
    ...STATUSES.map((s) => make("option", { value: s, text: s })));
  const statusSet = make("button", { type: "button", class: "mlk-button", text: "Set status" });
  const statusRow = make("p", { class: "mlk-row" },
    make("label", { for: statusPick.id, text: "Key status " }), statusPick, " ", statusSet);
  const form = make("form", { class: "mlk-form", "aria-label": "Entry" });
  const live = make("p", { class: "mlk-live", role: "status", "aria-live": "polite" });
  const leftHead = make("h5", { class: "mlk-head", id: idFor("left"), text: "What is left" });
  // A scrolling list: focusable, so that a keyboard can scroll it too.
  const left = make("ul", { class: "mlk-left", tabindex: "0", "aria-labelledby": leftHead.id,
    "data-lm-suppress-shortcuts": "true" });
  root.append(head, statusRow, form, live, leftHead, left);

  function say(text) {
    live.textContent = "";
    window.setTimeout(() => { live.textContent = text; }, 30);
  }

  function control(field) {
    const id = idFor(field.name);
    if (field.kind === "text") {
      const input = make("input", { type: "text", id, "data-field": field.name });
      input.value = field.value;
      return make("p", { class: "mlk-row" },
        make("label", { for: id, text: `${field.name} ` }), input);
    }
    if (field.kind === "labels") {
      const group = make("fieldset", { class: "mlk-labels", "data-field": field.name },
        make("legend", { text: field.name }));
      for (const option of field.options) {
        const boxId = idFor(option.id);
        const box = make("input", { type: "checkbox", id: boxId, value: option.id });
        box.checked = field.value.includes(option.id);
        group.append(make("span", { class: "mlk-check" }, box,
          make("label", { for: boxId, text: option.name })));
      }
      return group;
    }
    const select = make("select", { id, "data-field": field.name },
      make("option", { value: "", text: "— none —" }),
      ...field.options.map((o) => make("option", { value: o.id, text: o.name })));
    select.value = field.value;
    return make("p", { class: "mlk-row" },
      make("label", { for: id, text: `${field.name} ` }), select);
  }

  function values() {
    const found = {};
    for (const node of form.querySelectorAll("[data-field]")) {
      const name = node.dataset.field;
      found[name] = node.tagName === "FIELDSET"
        ? Array.from(node.querySelectorAll("input:checked")).map((box) => box.value)
        : node.value;
    }
    return found;
  }

  function button(text, onClick, extra = {}) {
    const node = make("button", { type: "button", class: "mlk-button", text, ...extra });
    node.addEventListener("click", onClick);
    return node;
  }

  function drawEntry() {
    const entry = model.get("entry") || {};
    if (!entry.id) {
      form.replaceChildren(make("p", { text: "No entry open: choose Edit beside an entry." }));
      return;
    }
    const send = (type, more = {}) => model.send({ type, id: entry.id, ...more });
    const rationaleId = idFor("rationale");
    const rationale = make("textarea", { id: rationaleId, rows: "2", "data-field": "rationale",
      placeholder: "one sentence: why these labels" });
    rationale.value = entry.rationale;
    form.replaceChildren(...[
      make("h5", { class: "mlk-head", text: `${entry.id} · ${entry.layer} · ${entry.paragraph_id}` }),
      make("p", { class: "mlk-span", text: `“${entry.text}”` }),
      entry.todo ? make("p", { class: "mlk-todo" },
        make("strong", { text: "To do: " }), entry.todo) : make("p", { text: "Decided (no todo)." }),
      entry.confidence ? make("p", { class: "mlk-confidence",
        text: `Finder's confidence: ${entry.confidence}` }) : null,
      ...entry.fields.map(control),
      make("p", { class: "mlk-row" },
        make("label", { for: rationaleId, text: "rationale " }), rationale),
      make("p", { class: "mlk-actions" },
        button("Accept", () => send("save", { values: values(), decided: true }),
          { class: "mlk-button mlk-accept" }), " ",
        button("Save, keep todo", () => send("save", { values: values(), decided: false })), " ",
        button("Show in text", () => send("show")), " ",
        button("Next to do", () => send("next")), " ",
        button("Delete entry", () => send("delete"), { class: "mlk-button mlk-delete" })),
    ].filter(Boolean));
  }
  form.addEventListener("submit", (event) => event.preventDefault());

  function drawSummary() {
    const summary = model.get("summary") || {};
    head.textContent = `${summary.file || "key"}: ${summary.entries || 0} entries, ` +
      `${summary.todo || 0} with a todo, status ${summary.status || "?"}`;
    statusPick.value = summary.status || "draft";
    const items = summary.remaining || [];
    leftHead.textContent = `What is left to do (${items.length})`;
    left.replaceChildren(...items.slice(0, 200).map((text) => make("li", { text })));
  }
  statusSet.addEventListener("click", () => model.send({ type: "status", status: statusPick.value }));

  function onMessage() {
    const message = model.get("message");
    if (message && message.text) say(message.text);
  }

  const handlers = { "change:entry": drawEntry, "change:summary": drawSummary,
    "change:message": onMessage };
  for (const [name, handler] of Object.entries(handlers)) model.on(name, handler);
  drawSummary();
  drawEntry();
  return () => { for (const [name, handler] of Object.entries(handlers)) model.off(name, handler); };
}

export default { render };
