// orbat: charts, claim panels and the simulation progress bar. No inline scripts (CSP).
(function () {
  "use strict";

  function drawCharts(root) {
    if (typeof Plotly === "undefined") { return; }
    root.querySelectorAll("[data-fig]").forEach(function (div) {
      var src = document.getElementById(div.getAttribute("data-fig"));
      if (!src || div.getAttribute("data-drawn")) { return; }
      var fig = JSON.parse(src.textContent);
      Plotly.newPlot(div, fig.data, fig.layout, {responsive: true, displaylogo: false});
      div.setAttribute("data-drawn", "1");
      div.on("plotly_click", function (ev) {
        var p = ev.points && ev.points[0];
        if (p && p.customdata) { window.location.href = p.customdata; }
      });
    });
  }

  function showClaim(id, scroll) {
    var panel = document.getElementById("panel-" + id);
    if (!panel) { return; }
    var box = panel.parentNode;
    box.querySelectorAll(".panel").forEach(function (p) { p.hidden = true; });
    panel.hidden = false;
    var hint = document.getElementById("hint");
    if (hint) { hint.hidden = true; }
    document.querySelectorAll(".seg.active").forEach(function (s) { s.classList.remove("active"); });
    var segs = document.querySelectorAll('.seg[data-claim="' + CSS.escape(id) + '"]');
    segs.forEach(function (s) { s.classList.add("active"); });
    if (scroll && segs.length) { segs[0].scrollIntoView({block: "center"}); }
  }

  function claimClicks() {
    document.querySelectorAll(".seg[data-claim]").forEach(function (seg) {
      function open() { showClaim(seg.getAttribute("data-claim"), false); }
      seg.addEventListener("click", open);
      seg.addEventListener("keydown", function (e) { if (e.key === "Enter") { open(); } });
    });
    var wanted = new URLSearchParams(window.location.search).get("claim");
    if (wanted) { showClaim(wanted, true); }
  }

  function progress() {
    var box = document.getElementById("progress");
    if (!box || !box.getAttribute("data-status")) { return; }
    var url = box.getAttribute("data-status");
    var bar = document.getElementById("bar");
    var text = document.getElementById("progress-text");
    function poll() {
      fetch(url, {headers: {"Accept": "application/json"}}).then(function (r) { return r.json(); })
        .then(function (s) {
          var pct = s.total ? 100 * s.done / s.total : 0;
          bar.style.width = pct.toFixed(1) + "%";
          text.textContent = s.done.toLocaleString() + " of " + s.total.toLocaleString() + " draws";
          if (s.status === "done" || s.status === "failed") { window.location.reload(); }
          else { setTimeout(poll, 250); }
        }).catch(function () { setTimeout(poll, 1000); });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    claimClicks();
    progress();
  });
})();
