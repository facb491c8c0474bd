// Autosave of the intake form: a few seconds after the last change, the form is posted as
// its page's draft (sealed on the server). Without JavaScript the "Save draft" button does
// the same. The messages come from the page (data-saved, data-failed), in its language.
(function () {
  "use strict";
  var DELAY_MS = 4000;
  function start() {
    var form = document.getElementById("intake-form");
    var status = document.getElementById("draft-status");
    if (!form || !status || !window.fetch || !window.FormData) {
      return;
    }
    var timer = null;
    var busy = false;
    var pending = false;
    function save() {
      timer = null;
      if (busy) {
        pending = true;
        return;
      }
      busy = true;
      var data = new FormData(form);
      data.append("save_draft", "autosave");
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Intake-Autosave": "1" }
      }).then(function (response) {
        var time = new Date().toLocaleTimeString(document.documentElement.lang);
        status.textContent = response.ok ? status.dataset.saved + " " + time : status.dataset.failed;
      }).catch(function () {
        status.textContent = status.dataset.failed;
      }).then(function () {
        busy = false;
        if (pending) {
          pending = false;
          save();
        }
      });
    }
    function changed() {
      if (timer) {
        clearTimeout(timer);
      }
      timer = setTimeout(save, DELAY_MS);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
