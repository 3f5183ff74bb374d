/* On a published page no Python runs, so a self-check's output is the one recorded when the
   book was built (with the answer cell still empty): "Not yet" for everyone. Say instead where
   the check does run. The notebook itself (JupyterLab, Colab, a hub) shows the live result. */
(function () {
  "use strict";
  const MESSAGE =
    "<strong>Checked when you run the notebook.</strong> A web page cannot run Python, so " +
    "it cannot check answers here. Open the notebook (a launch button or the download button " +
    "at the top of the page, or your instructor's copy), fill in your answer and run the " +
    "cell: the check then says whether it passes and what to look at.";
  function explain() {
    document.querySelectorAll(".cell_output .ml-self-check").forEach(function (check) {
      const question = (check.textContent.match(/\(([\w.-]+)\)/) || [])[1];
      check.classList.add("ml-self-check-static");
      check.innerHTML = MESSAGE + (question ? " <span class=\"ml-qid\">(" + question + ")</span>" : "");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", explain);
  } else {
    explain();
  }
})();
