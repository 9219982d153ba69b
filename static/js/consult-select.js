/* "Remove this too" on consultation previews: progressive enhancement only.
 *
 * Select words in the de-identified preview or in your original text, then
 * press the button: the selection is added as a line to the "more to remove"
 * field. Without JavaScript the button stays hidden and you type it there.
 * Nothing leaves the page; "Check again" sends the form as usual.
 */
(function () {
  "use strict";
  var button = document.querySelector("[data-remove-selection]");
  if (!button) { return; }
  var target = document.getElementById(button.getAttribute("data-remove-target"));
  var status = document.getElementById(button.getAttribute("data-remove-status"));
  if (!target) { return; }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("textarea[data-remove-source]"));
  var lastBox = null;

  boxes.forEach(function (box) {
    box.addEventListener("focus", function () { lastBox = box; });
    box.addEventListener("select", function () { lastBox = box; });
  });

  function tidy(text) {
    return text.replace(/\[[A-Z][A-Z0-9-]*\]/g, " ").replace(/\s+/g, " ").trim();
  }

  function fromPreview() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return ""; }
    var node = selection.getRangeAt(0).commonAncestorContainer;
    var element = node.nodeType === 1 ? node : node.parentElement;
    var inPreview = element && element.closest("[data-remove-source]") && element.tagName !== "TEXTAREA";
    return inPreview ? tidy(selection.toString()) : "";
  }

  function fromBox() {
    if (!lastBox || lastBox.selectionEnd <= lastBox.selectionStart) { return ""; }
    return tidy(lastBox.value.slice(lastBox.selectionStart, lastBox.selectionEnd));
  }

  function say(message) {
    if (status) { status.textContent = message; }
  }

  // Keep the selection when the button is pressed with a mouse.
  button.addEventListener("mousedown", function (event) { event.preventDefault(); });
  button.addEventListener("click", function () {
    var phrase = fromPreview() || fromBox();
    if (!phrase) {
      say("First select a word or phrase in the preview or in your original text.");
      return;
    }
    var lines = target.value.split(/\r?\n/).map(tidy).filter(Boolean);
    var known = lines.some(function (line) { return line.toLowerCase() === phrase.toLowerCase(); });
    if (!known) {
      lines.push(phrase);
      target.value = lines.join("\n");
    }
    say(known ? "That is already on the list." : "Added to the list. Press “Check again” to see the new preview.");
  });
  button.hidden = false;
}());
