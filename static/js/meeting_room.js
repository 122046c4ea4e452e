// The meeting room's projector page: the speaker's time counting up against the limit (red once
// it is over), and — on the screens of those who only watch — a reload every few seconds so the
// current item and speaker follow the organization department's clicks. No inline scripts (CSP).
(function () {
  "use strict";
  var room = document.querySelector("[data-room]");
  if (!room) { return; }
  var elapsed = Number(room.getAttribute("data-elapsed") || 0);
  var limit = Number(room.getAttribute("data-limit") || 8) * 60;
  var timer = room.querySelector("[data-timer]");
  var started = Date.now() - elapsed * 1000;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var seconds = Math.floor((Date.now() - started) / 1000);
    timer.textContent = pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
    timer.classList.toggle("text-danger", seconds > limit);
    timer.classList.toggle("text-warning", seconds > limit - 60 && seconds <= limit);
  }
  if (timer && room.getAttribute("data-running") === "1") { tick(); window.setInterval(tick, 1000); }
  var refresh = Number(room.getAttribute("data-refresh") || 0);
  if (refresh > 0) { window.setTimeout(function () { window.location.reload(); }, refresh * 1000); }
})();
