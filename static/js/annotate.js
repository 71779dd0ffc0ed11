// The annotation page: selecting a passage of the archived text fills the form.
// Offsets are Unicode code points into the snapshot's text, as the W3C model counts them;
// the server checks them against the passage and finds the passage itself if they disagree.
(function () {
  "use strict";
  var root = document.getElementById("snapshot-text");
  var form = document.getElementById("annotation-form");
  if (!root || !form) { return; }
  var exact = form.querySelector("[name=exact]");
  var start = form.querySelector("[name=start]");
  var end = form.querySelector("[name=end]");
  var status = document.getElementById("selection-status");

  function codePoints(text) { return Array.from(text).length; }

  function take() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) { return; }
    var before = document.createRange();
    before.setStart(root, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var passage = range.toString();
    var from = codePoints(before.toString());
    exact.value = passage;
    start.value = from;
    end.value = from + codePoints(passage);
    if (status) { status.textContent = "Selected " + codePoints(passage) + " characters at " + from + "."; }
  }

  root.addEventListener("mouseup", take);
  root.addEventListener("keyup", take);
  exact.addEventListener("input", function () { start.value = ""; end.value = ""; });
})();
