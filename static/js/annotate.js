// The annotation page: select a passage of the archived text (mouse, or keyboard in the focusable
// text), and a small panel opens next to it to write the note or make a claim from it; the list
// of notes scrolls the text to each.
// Offsets are Unicode code points into the snapshot's text, as the W3C model counts them; the
// server checks them against the passage and finds the passage itself if they disagree.
// Without this script the form sits below the text and takes a typed or pasted passage.
(function () {
  "use strict";
  var root = document.getElementById("snapshot-text");
  var form = document.getElementById("annotation-form");
  if (!root || !form) { return; }
  var exact = form.querySelector("[name=exact]");
  var start = form.querySelector("[name=start]");
  var end = form.querySelector("[name=end]");
  var motivation = form.querySelector("[name=motivation]");
  var status = document.getElementById("selection-status");
  var closeButton = form.querySelector(".panel-close");
  var narrow = window.matchMedia("(max-width: 600px)");
  var highlights = (window.CSS && CSS.highlights && window.Highlight) ? CSS.highlights : null;
  var GAP = 8;
  var current = null;  // the range the panel is open for

  function codePoints(text) { return Array.from(text).length; }

  function selectedRange() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) { return null; }
    return range;
  }

  // The DOM point `offset` code points into the text.
  function pointAt(offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node, seen = 0, last = null;
    while ((node = walker.nextNode())) {
      var chars = Array.from(node.data);
      if (offset <= seen + chars.length) {
        return {node: node, offset: chars.slice(0, offset - seen).join("").length};
      }
      seen += chars.length;
      last = node;
    }
    return last ? {node: last, offset: last.data.length} : {node: root, offset: 0};
  }

  function rangeAt(from, to) {
    var range = document.createRange();
    var a = pointAt(from), b = pointAt(to);
    range.setStart(a.node, a.offset);
    range.setEnd(b.node, b.offset);
    return range;
  }

  // Fill the form from the range; the passage is what the person selected, to the character.
  function take(range) {
    var before = document.createRange();
    before.setStart(root, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var passage = range.toString();
    var from = codePoints(before.toString());
    exact.value = passage;
    start.value = from;
    end.value = from + codePoints(passage);
    say("Selected " + codePoints(passage) + " characters at " + from + ".");
  }

  function say(text) { if (status) { status.textContent = text; } }

  function mark(name, range) {
    if (!highlights) { return; }
    if (range) { highlights.set(name, new Highlight(range)); } else { highlights.delete(name); }
  }

  // Below the selection's last line, or above its first if there is no room below; on a
  // narrow screen a bottom sheet (CSS), with the selection scrolled into view above it.
  function place(range) {
    var rects = range.getClientRects();
    var whole = range.getBoundingClientRect();
    var first = rects.length ? rects[0] : whole;
    var last = rects.length ? rects[rects.length - 1] : whole;
    if (narrow.matches) {
      form.style.top = "";
      form.style.left = "";
      // Room below the text, so that even its last line can scroll above the sheet.
      document.body.style.paddingBottom = form.offsetHeight + "px";
      var room = window.innerHeight - form.offsetHeight;
      var box = range.getBoundingClientRect();  // after the padding's layout
      if (box.top < GAP || box.bottom > room - GAP) {
        window.scrollTo(0, window.scrollY + box.top - Math.max(GAP, (room - box.height) / 2));
      }
      return;
    }
    var width = form.offsetWidth, height = form.offsetHeight;
    var viewport = document.documentElement.clientWidth;
    var left = Math.min(Math.max(GAP, first.left), viewport - width - GAP);
    var top = last.bottom + GAP;
    if (top + height > window.innerHeight && first.top - height - GAP > 0) {
      top = first.top - height - GAP;
    }
    document.body.style.paddingBottom = "";
    form.style.left = (left + window.scrollX) + "px";
    form.style.top = (top + window.scrollY) + "px";
  }

  function open(range, moveFocus) {
    current = range.cloneRange();
    form.hidden = false;
    mark("annotate-selection", current);
    place(current);
    // The panel is already in sight: focusing it must not scroll the selection away.
    if (moveFocus) { (motivation || exact).focus({ preventScroll: true }); }
  }

  function close() {
    form.hidden = true;
    current = null;
    document.body.style.paddingBottom = "";
    mark("annotate-selection", null);
    root.focus();
  }

  // A panel that changes size once open (its fields laid out late, an error shown) is placed
  // again, so the sheet never ends up over the selection.
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      if (current && !form.hidden) { place(current); }
    }).observe(form);
  }

  // The form becomes the floating panel: a child of the body, so its position is the page's.
  form.classList.add("floating");
  form.setAttribute("role", "dialog");
  document.body.appendChild(form);
  if (closeButton) {
    closeButton.hidden = false;
    closeButton.addEventListener("click", close);
  }
  if (form.querySelector(".error, .notice")) {
    // Re-rendered with a refusal: open where the passage was.
    var from = parseInt(start.value, 10), to = parseInt(end.value, 10);
    open(isNaN(from) || isNaN(to) ? rangeAt(0, 0) : rangeAt(from, to), true);
  } else {
    form.hidden = true;
  }

  root.addEventListener("mouseup", function () {
    // After the browser has settled the selection.
    window.setTimeout(function () {
      var range = selectedRange();
      if (range) { take(range); open(range, false); }
    }, 0);
  });

  // Keyboard selection in the focusable text: arrows move a caret, Shift extends the selection
  // (Ctrl by word), Enter opens the panel. Selection.modify moves by what the reader sees.
  var MOVES = {
    ArrowLeft: ["backward", "character"], ArrowRight: ["forward", "character"],
    ArrowUp: ["backward", "line"], ArrowDown: ["forward", "line"],
    Home: ["backward", "lineboundary"], End: ["forward", "lineboundary"],
  };

  function showCaret(selection) {
    var point = document.createRange();
    point.setStart(selection.focusNode, selection.focusOffset);
    point.collapse(true);
    var rect = point.getClientRects()[0] || point.getBoundingClientRect();
    if (rect && (rect.top < 0 || rect.bottom > window.innerHeight)) {
      window.scrollBy(0, rect.top - window.innerHeight / 3);
    }
    if (selection.isCollapsed && selection.focusNode.nodeType === Node.TEXT_NODE &&
        selection.focusOffset < selection.focusNode.data.length) {
      point.setEnd(selection.focusNode, selection.focusOffset + 1);
      mark("annotate-caret", point);
    } else {
      mark("annotate-caret", null);
    }
  }

  root.addEventListener("keydown", function (event) {
    var selection = window.getSelection();
    if (event.key === "Enter") {
      var range = selectedRange();
      if (range) {
        event.preventDefault();
        take(range);
        mark("annotate-caret", null);
        open(range, true);
      }
      return;
    }
    var move = MOVES[event.key];
    if (!move || event.altKey || event.metaKey || !selection || !selection.modify) { return; }
    if (selection.rangeCount === 0 || !root.contains(selection.focusNode)) {
      var point = pointAt(0);
      selection.collapse(point.node, point.offset);
    }
    event.preventDefault();
    var granularity = event.ctrlKey && move[1] === "character" ? "word" : move[1];
    selection.modify(event.shiftKey ? "extend" : "move", move[0], granularity);
    showCaret(selection);
    var selected = selectedRange();
    if (selected) {
      take(selected);
      say(status.textContent + " Press Enter to annotate it.");
    }
  });
  root.addEventListener("blur", function () { mark("annotate-caret", null); });

  form.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  exact.addEventListener("input", function () { start.value = ""; end.value = ""; });
  form.addEventListener("submit", function (event) {
    if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
    form.setAttribute("aria-busy", "true");
    say("Saving…");
  });
  window.addEventListener("resize", function () { if (current && !form.hidden) { place(current); } });

  // The list of notes: scroll the text to a note and mark it as the current one.
  function showNote(id) {
    root.querySelectorAll("mark.current").forEach(function (other) { other.classList.remove("current"); });
    var target = document.getElementById("note-" + id);
    if (target) { target.classList.add("current"); }
  }
  document.querySelectorAll(".notes-list a[data-note]").forEach(function (link) {
    link.addEventListener("click", function () { showNote(link.getAttribute("data-note")); });
  });
  if (/^#note-\d+$/.test(window.location.hash)) { showNote(window.location.hash.slice(6)); }
})();
