// Optional helper for the redaction page: drag on the page image to fill in the box fields
// (percent of the page). The form works without it.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var holder = document.querySelector("[data-redact-page]");
    var image = document.querySelector("[data-redact-image]");
    if (!holder || !image) return;
    holder.style.position = "relative";
    holder.style.display = "inline-block";
    function place(el, l, t, w, h) {
      el.style.position = "absolute";
      el.style.left = l + "%";
      el.style.top = t + "%";
      el.style.width = w + "%";
      el.style.height = h + "%";
      el.style.background = "rgba(0,0,0,0.6)";
      el.style.outline = "2px solid #c00";
    }
    holder.querySelectorAll(".redact-box").forEach(function (el) {
      place(el, el.dataset.left, el.dataset.top, el.dataset.width, el.dataset.height);
    });
    var form = document.querySelector("[data-redact-form]");
    if (!form) return;
    var draft = document.createElement("span");
    draft.hidden = true;
    holder.appendChild(draft);
    var start = null;
    function percent(event) {
      var r = image.getBoundingClientRect();
      var x = Math.min(Math.max(event.clientX - r.left, 0), r.width);
      var y = Math.min(Math.max(event.clientY - r.top, 0), r.height);
      return { x: (x / r.width) * 100, y: (y / r.height) * 100 };
    }
    function set(name, value) {
      var field = form.querySelector("[name=" + name + "]");
      if (field) field.value = value.toFixed(2);
    }
    image.addEventListener("dragstart", function (e) { e.preventDefault(); });
    image.addEventListener("pointerdown", function (e) {
      start = percent(e);
      image.setPointerCapture(e.pointerId);
    });
    image.addEventListener("pointermove", function (e) {
      if (!start) return;
      var p = percent(e);
      var l = Math.min(start.x, p.x), t = Math.min(start.y, p.y);
      draft.hidden = false;
      place(draft, l, t, Math.abs(p.x - start.x), Math.abs(p.y - start.y));
    });
    image.addEventListener("pointerup", function (e) {
      if (!start) return;
      var p = percent(e);
      set("left", Math.min(start.x, p.x));
      set("top", Math.min(start.y, p.y));
      set("width", Math.abs(p.x - start.x));
      set("height", Math.abs(p.y - start.y));
      start = null;
      var ground = form.querySelector("[name=ground]");
      if (ground) ground.focus();
    });
  });
})();
