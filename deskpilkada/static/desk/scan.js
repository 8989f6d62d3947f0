/* The label scanner of /logistik/pindai/: the phone's camera (getUserMedia) drawn on a canvas a few
   times a second and read by jsQR (vendor/jsqr). A code found opens /logistik/pindai/<code>/ — the
   receipt form, or a box's history — whatever the QR holds: a desk URL or a bare short code.
   No inline script (the Content-Security-Policy); without a camera the typed code works the same. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) return;
  var start = document.getElementById("scan-start"), video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas"), status = document.getElementById("scan-status");
  var prefix = root.dataset.scanPrefix, done = false;

  function codeOf(text) {
    var m = /\/pindai\/([A-Z0-9]{4,12})\/?$/i.exec(text) || /^([A-Z0-9]{4,12})$/i.exec(text.trim());
    return m ? m[1].toUpperCase() : null;
  }

  function tick() {
    if (done) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var code = found && codeOf(found.data);
      if (code) {
        done = true;
        status.textContent = root.dataset.found;
        if (video.srcObject) video.srcObject.getTracks().forEach(function (t) { t.stop(); });
        window.location.assign(prefix + encodeURIComponent(code) + "/");
        return;
      }
    }
    window.setTimeout(function () { window.requestAnimationFrame(tick); }, 200);
  }

  start.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status.textContent = root.dataset.noCamera;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.classList.remove("d-none");
        start.classList.add("d-none");
        status.textContent = root.dataset.looking;
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(tick); })
      .catch(function () { status.textContent = root.dataset.noCamera; });
  });
})();
