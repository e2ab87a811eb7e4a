// The download link carries its token after "#", which browsers never send
// to a server or put in a Referer; this page sends it in a POST body instead,
// once, and takes it out of the address bar and history.
(function () {
  "use strict";
  var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  var form = document.getElementById("export");
  var status = document.getElementById("export-status");
  if (!match) {
    status.textContent = "This download link is not complete. Ask the assistant in the chat for a new one.";
    form.querySelector("button").hidden = true;
    return;
  }
  form.elements.token.value = decodeURIComponent(match[1]);
  history.replaceState(null, "", window.location.pathname);
  form.addEventListener("submit", function () {
    form.querySelector("button").disabled = true;
    status.textContent = "Your download has started. To download again, ask the assistant for a new link.";
  });
  form.requestSubmit ? form.requestSubmit() : form.submit();
})();
