// Progressive enhancement for the sign-off queue: a "select every entry" button.
document.querySelectorAll("[data-select-all]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var boxes = document.querySelectorAll('input[type="checkbox"][name="' + button.dataset.selectAll + '"]');
    var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
    boxes.forEach(function (box) { box.checked = !all; });
  });
});
