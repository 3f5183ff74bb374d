/* The comparison view of the published book: switch topic or articles, toggle layers.
   Runs in the page itself: no kernel, no network, no library. */
(function () {
  "use strict";

  function setup(root) {
    if (root.dataset.mlReady) { return; }
    root.dataset.mlReady = "1";
    var data = JSON.parse(root.querySelector("script.ml-cmp-data").textContent);
    var form = root.querySelector(".ml-cmp-controls");
    var view = root.querySelector(".ml-cmp");
    var topicSelect = form.querySelector("select[name=topic]");
    var columns = {};
    root.querySelectorAll(".ml-cmp-col").forEach(function (column) {
      columns[column.dataset.articleId] = column;
    });
    var paragraphs = root.querySelectorAll(".ml-cmp-para");
    var termMarks = root.querySelectorAll(".ml-term");

    function mode() {
      var checked = form.querySelector("input[data-role=mode]:checked");
      return checked ? checked.value : "topic";
    }

    function currentView() {
      if (mode() === "topic") {
        var topic = data.topics[topicSelect.value];
        return { title: topic.name, description: topic.description, columns: topic.columns,
                 paragraphs: topic.paragraphs, terms: topic.terms };
      }
      var ids = [];
      form.querySelectorAll("input[data-role=article]:checked").forEach(function (box) {
        ids.push(box.value);
      });
      return { title: ids.map(function (id) { return data.titles[id]; }).join(" | "),
               description: ids.length ? "" : "Tick at least one article (two or more to " +
                 "compare them).",
               columns: ids, paragraphs: null,
               terms: data.groups[ids.slice().sort().join("|")] || [] };
    }

    function render() {
      var current = currentView();
      var isTopic = mode() === "topic";
      form.querySelector(".ml-cmp-topic").hidden = !isTopic;
      form.querySelector(".ml-cmp-articles").hidden = isTopic;
      Object.keys(columns).forEach(function (id) {
        var position = current.columns.indexOf(id);
        columns[id].hidden = position < 0;
        columns[id].style.order = String(position);
      });
      var shown = current.paragraphs ? new Set(current.paragraphs) : null;
      var visible = [];
      paragraphs.forEach(function (paragraph) {
        var column = paragraph.closest(".ml-cmp-col");
        var on = !column.hidden && (!shown || shown.has(paragraph.dataset.paragraphId));
        paragraph.hidden = !on;
        if (on) { visible.push(paragraph); }
      });
      var terms = new Set(current.terms.map(function (term) { return term[0]; }));
      termMarks.forEach(function (mark) {
        mark.classList.toggle("ml-term-on", terms.has(mark.dataset.term));
      });
      var counts = [];
      form.querySelectorAll("input[data-role=layer]").forEach(function (box) {
        view.classList.toggle("ml-show-" + box.value, box.checked);
        var count = 0;
        visible.forEach(function (paragraph) {
          count += box.value === "terms" ?
            paragraph.querySelectorAll(".ml-term-on").length :
            paragraph.querySelectorAll(".ml-badge.ml-b-" + box.value).length;
        });
        box.parentNode.querySelector(".ml-count").textContent = "(" + count + " here)";
        if (box.checked) { counts.push(count + " " + box.dataset.name.toLowerCase()); }
      });
      var list = root.querySelector(".ml-cmp-terms ul");
      list.textContent = "";
      current.terms.forEach(function (term) {
        var item = document.createElement("li");
        item.textContent = term[1];
        list.appendChild(item);
      });
      root.querySelector(".ml-cmp-terms .ml-none").hidden = current.terms.length > 0;
      root.querySelector(".ml-cmp-heading").textContent = current.title;
      root.querySelector(".ml-cmp-desc").textContent = current.description;
      root.querySelector(".ml-cmp-status").textContent =
        "Showing " + current.columns.length + " article(s), " + visible.length + " passage(s). " +
        (counts.length ? "Highlighted: " + counts.join(", ") + "." : "No layer is highlighted.");
    }

    form.addEventListener("change", render);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    render();
  }

  document.querySelectorAll("[data-ml-compare]").forEach(setup);
})();
