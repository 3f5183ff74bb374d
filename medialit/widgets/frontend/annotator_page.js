// The book's annotate mode: runs annotator.js on an article page with a small model object over
// the browser's localStorage (no kernel, no widget manager, no network). Exports the
// <set>.answers.json file the grader reads, and imports one back.
import annotator, { badgeText } from "./annotator.js";

const SCHEMA = 1;

function fold(text) {
  // Quotes, dashes and runs of spaces folded, as the course's matcher does; keeps a map back.
  const map = [];
  let out = "";
  for (let i = 0; i < text.length; i++) {
    let c = text[i];
    if ("“”„‟″\"".includes(c)) c = '"';
    else if ("‘’‚‛′'`".includes(c)) c = "'";
    else if ("–—‒―−-".includes(c)) c = "-";
    else if (/\s/.test(c)) {
      if (out.endsWith(" ")) continue;
      c = " ";
    }
    out += c.toLowerCase();
    map.push(i);
  }
  return { text: out, map };
}

function readStore(key) {
  try {
    const payload = JSON.parse(window.localStorage.getItem(key) || "null");
    if (payload && payload.schema === SCHEMA && Array.isArray(payload.annotations)) return payload;
  } catch (error) { /* unreadable: start afresh, the old text stays until the next save */ }
  return { schema: SCHEMA, annotations: [] };
}

function validRecord(r) {
  return r && typeof r === "object" && typeof r.paragraph_id === "string" &&
    Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.end > r.start &&
    typeof r.layer === "string" && typeof r.label === "string" && typeof r.text === "string";
}

// The small model object: get/set/on/off/save_changes/send, as anywidget's, over localStorage.
export function localModel(data) {
  const key = data.storage_key;
  const listeners = {};
  let store = readStore(key);
  let said = 0;
  const state = {
    articles: [data.article], article_id: data.article.id, paragraphs: data.paragraphs,
    layers: data.layers, annotations: [], message: {}, found: {},
  };
  const fire = (name) => (listeners[`change:${name}`] || []).forEach((f) => f());
  const model = {
    get: (name) => state[name],
    set: (name, value) => { state[name] = value; fire(name); },
    on: (name, f) => { (listeners[name] = listeners[name] || []).push(f); },
    off: (name, f) => { listeners[name] = (listeners[name] || []).filter((g) => g !== f); },
    save_changes: () => {},
    send: (message) => handle(message),
    all: () => store.annotations,
    replace: (records) => { store.annotations = records; persist(); refresh(); },
  };
  const mineHere = () => store.annotations.filter(
    (r) => r.paragraph_id.split(":")[0] === data.article.id);
  function refresh() { model.set("annotations", mineHere()); }
  function say(kind, text) {
    said += 1;
    model.set("message", { kind, text: ({ saved: "Saved: ", error: "Not saved: " }[kind] || "")
      + text, n: said });
  }
  function persist() {
    try {
      window.localStorage.setItem(key, JSON.stringify(store));
      return true;
    } catch (error) {
      say("error", `this browser does not keep the work (${error.name}); download it now.`);
      return false;
    }
  }
  function nextId() {
    const numbers = store.annotations.map((r) => /^a(\d+)$/.exec(r.annotation_id))
      .filter(Boolean).map((m) => +m[1]);
    return `a${String(Math.max(0, ...numbers) + 1).padStart(3, "0")}`;
  }
  function check(message) {
    const p = data.paragraphs.find((x) => x.id === message.paragraph_id);
    if (!p) return ["error", "choose words of this article."];
    const starts = p.words.map((w) => p.start + w[0]), ends = p.words.map((w) => p.start + w[1]);
    if (!starts.includes(message.start) || !ends.includes(message.end) ||
        message.start >= message.end) {
      return ["error", `the span must start and end on whole words of ${p.id}.`];
    }
    const layer = data.layers.find((l) => l.id === message.layer);
    if (!layer) return ["error", "choose a layer."];
    const labels = {};
    for (const dim of layer.dimensions) {
      const value = (message.labels || {})[dim.id];
      if (!value) continue;
      if (!dim.labels.some((l) => l.id === value)) return ["error", `${value} is not a label of ${dim.name}.`];
      labels[dim.id] = value;
    }
    const first = layer.dimensions[0];
    if (!labels[first.id]) return ["error", `choose a label of ${first.name} first.`];
    return [null, {
      paragraph_id: p.id, start: message.start, end: message.end,
      text: p.text.slice(message.start - p.start, message.end - p.start),
      layer: layer.id, label: labels[first.id], labels,
    }];
  }
  function handle(message) {
    store = readStore(key); // another tab may have saved since
    if (message.type === "add") {
      const [problem, record] = check(message);
      if (problem) { say("error", record); return; }
      const saved = { annotation_id: nextId(), ...record };
      store.annotations.push(saved);
      if (!persist()) return;
      refresh();
      say("saved", `${badgeText(saved, data.layers)} “${saved.text}” (kept in this browser)`);
    } else if (message.type === "delete") {
      const kept = store.annotations.filter((r) => r.annotation_id !== message.annotation_id);
      if (kept.length === store.annotations.length) {
        say("error", `there is no annotation ${message.annotation_id}.`); return;
      }
      store.annotations = kept;
      if (!persist()) return;
      refresh();
      say("saved", `deleted ${message.annotation_id}`);
    } else if (message.type === "find") {
      const wanted = fold(message.quote.trim()).text;
      for (const p of data.paragraphs) {
        const folded = fold(p.text);
        const at = wanted ? folded.text.indexOf(wanted) : -1;
        if (at < 0) continue;
        const start = p.start + folded.map[at];
        const end = p.start + folded.map[at + wanted.length - 1] + 1;
        model.set("found", { paragraph_id: p.id, start, end, n: said + 1 });
        say("info", `Found in paragraph ${p.number}: “${p.text.slice(start - p.start, end - p.start)}”.`);
        return;
      }
      say("error", "these words are not in this article word for word. Copy them exactly as " +
        "the article has them, typos included.");
    }
  }
  refresh();
  const count = mineHere().length;
  say("info", count ? `${count} annotation(s) of this article are kept in this browser.`
    : "Your annotations are kept in this browser as you work; download them to hand them in.");
  return model;
}

function download(name, text) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function start(mount) {
  const data = JSON.parse(document.getElementById(mount.dataset.source).textContent);
  const model = localModel(data);
  const open = mount.querySelector(".ml-annotate-open");
  const app = mount.querySelector(".ml-annotate-app");
  const status = mount.querySelector(".ml-annotate-files-status");
  const setPick = mount.querySelector(".ml-annotate-set");
  let started = false;
  open.addEventListener("click", () => {
    const showing = app.hidden;
    app.hidden = !showing;
    open.setAttribute("aria-expanded", String(showing));
    open.textContent = showing ? "Close the annotator" : "Annotate this article";
    if (showing && !started) {
      annotator.render({ model, el: mount.querySelector(".ml-annotate-widget") });
      started = true;
    }
    if (showing) mount.querySelector(".ml-annotate-widget .mla-w[tabindex='0']")?.focus();
  });
  const tell = (text) => { status.textContent = ""; window.setTimeout(() => { status.textContent = text; }, 30); };
  mount.querySelector(".ml-annotate-export").addEventListener("click", () => {
    const name = `${setPick.value}.answers.json`;
    const records = model.all();
    download(name, JSON.stringify({ schema: SCHEMA, annotations: records }, null, 1) + "\n");
    tell(`Downloaded ${name} with ${records.length} annotation(s) of every article. Put it ` +
      "beside your notebook, or hand it in with it.");
  });
  mount.querySelector(".ml-annotate-import").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    let payload;
    try {
      payload = JSON.parse(await file.text());
    } catch (error) {
      tell(`${file.name} is not readable JSON: nothing was imported.`); return;
    }
    if (!payload || payload.schema !== SCHEMA || !Array.isArray(payload.annotations)) {
      tell(`${file.name} is not an answers file (no "schema": 1 and list of annotations).`); return;
    }
    const have = model.all();
    const same = (a, b) => a.paragraph_id === b.paragraph_id && a.start === b.start &&
      a.end === b.end && a.layer === b.layer && a.label === b.label;
    const fresh = payload.annotations.filter(validRecord).filter((r) => !have.some((h) => same(h, r)));
    const skipped = payload.annotations.length - payload.annotations.filter(validRecord).length;
    let number = Math.max(0, ...have.map((r) => +(/^a(\d+)$/.exec(r.annotation_id) || [0, 0])[1]));
    const added = fresh.map((r) => ({ ...r, annotation_id: `a${String(++number).padStart(3, "0")}` }));
    model.replace([...have, ...added]);
    tell(`Imported ${added.length} annotation(s) from ${file.name}` +
      (payload.annotations.length - added.length - skipped ? `; ${payload.annotations.length - added.length - skipped} were here already` : "") +
      (skipped ? `; ${skipped} damaged one(s) skipped` : "") + ".");
    event.target.value = "";
  });
}

for (const mount of document.querySelectorAll(".ml-annotate-mode")) start(mount);
