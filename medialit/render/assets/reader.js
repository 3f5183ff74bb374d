/* The annotated reader: layer toggles, and the note of each highlight on hover and on focus.
   Runs in the page itself: no kernel, no network, no library. */
(function () {
  "use strict";

  var GRACE_MS = 400; // time to move the pointer from the marked text to its note

  function setup(root) {
    if (root.dataset.mlReady) { return; }
    root.dataset.mlReady = "1";
    var form = root.querySelector(".ml-reader-controls");
    var text = root.querySelector(".ml-reader-text");
    var status = root.querySelector(".ml-reader-status");
    var hoverTimer = null;

    function anchorFor(noteId) {
      var note = noteId && document.getElementById(noteId);
      return note ? note.parentNode : null;
    }

    function fit(anchor) {
      // Keep the note inside the window: shift it left when it would overflow on the right.
      var note = anchor.querySelector(".ml-tip");
      note.style.left = "";
      var box = note.getBoundingClientRect();
      if (box.width && box.right > window.innerWidth - 8) {
        note.style.left = Math.min(0, window.innerWidth - 8 - box.right) + "px";
      }
    }

    function closeAll(except) {
      text.querySelectorAll(".ml-open, .ml-pinned").forEach(function (anchor) {
        if (anchor !== except) { anchor.classList.remove("ml-open", "ml-pinned"); }
      });
    }

    function render() {
      var shown = [];
      form.querySelectorAll("input[data-role=layer]").forEach(function (box) {
        text.classList.toggle("ml-show-" + box.value, box.checked);
        if (box.checked) {
          shown.push(box.dataset.name.toLowerCase() + " (" + box.dataset.count + ")");
        } else {
          text.querySelectorAll(".ml-a-" + box.value).forEach(function (anchor) {
            anchor.classList.remove("ml-open", "ml-pinned");
          });
        }
      });
      status.textContent = shown.length ? "Highlighted: " + shown.join(", ") + "." :
        "No layer is highlighted: the plain text.";
    }

    form.addEventListener("change", render);
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    // Pointer over marked text opens the note of its innermost highlight.
    text.addEventListener("mouseover", function (event) {
      var mark = event.target.closest(".ml-hl[data-note], .ml-anchor");
      if (!mark) { return; }
      clearTimeout(hoverTimer);
      var anchor = mark.classList.contains("ml-anchor") ? mark : anchorFor(mark.dataset.note);
      if (!anchor) { return; }
      text.querySelectorAll(".ml-open").forEach(function (other) {
        if (other !== anchor) { other.classList.remove("ml-open"); }
      });
      anchor.classList.add("ml-open");
      fit(anchor);
    });
    text.addEventListener("mouseout", function (event) {
      var from = event.target.closest(".ml-hl[data-note], .ml-anchor");
      var to = event.relatedTarget && event.relatedTarget.closest ?
        event.relatedTarget.closest(".ml-hl[data-note], .ml-anchor") : null;
      if (!from || from === to) { return; }
      clearTimeout(hoverTimer);
      hoverTimer = setTimeout(function () {
        text.querySelectorAll(".ml-open, .ml-dismissed").forEach(function (anchor) {
          if (!anchor.matches(":hover")) { anchor.classList.remove("ml-open", "ml-dismissed"); }
        });
      }, GRACE_MS);
    });

    text.addEventListener("focusin", function (event) {
      var anchor = event.target.closest(".ml-anchor");
      if (anchor) { anchor.classList.remove("ml-dismissed"); fit(anchor); }
    });
    text.addEventListener("focusout", function (event) {
      var anchor = event.target.closest(".ml-anchor");
      if (anchor) { anchor.classList.remove("ml-dismissed"); }
    });

    // Enter, Space or a click keeps a note open (for touch screens too); again closes it.
    function toggle(badge) {
      var anchor = badge.parentNode;
      var pinned = anchor.classList.contains("ml-pinned");
      closeAll(anchor);
      anchor.classList.toggle("ml-pinned", !pinned);
      anchor.classList.remove("ml-dismissed");
      if (!pinned) { fit(anchor); }
    }
    text.addEventListener("click", function (event) {
      var badge = event.target.closest(".ml-badge[data-note]");
      if (badge) { toggle(badge); }
    });
    text.addEventListener("keydown", function (event) {
      var badge = event.target.closest(".ml-badge[data-note]");
      if (badge && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        toggle(badge);
      }
    });

    // Escape closes every note of this reader until the pointer or focus moves on.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      text.querySelectorAll(".ml-anchor").forEach(function (anchor) {
        var open = anchor.classList.contains("ml-open") || anchor.classList.contains("ml-pinned") ||
          anchor.matches(":hover") || anchor.matches(":focus-within");
        if (open) {
          anchor.classList.remove("ml-open", "ml-pinned");
          anchor.classList.add("ml-dismissed");
        }
      });
    });

    render();
  }

  document.querySelectorAll("[data-ml-reader]").forEach(setup);
})();
