// Reading the ID card's QR code with a tablet's camera, where the browser can (BarcodeDetector):
// the text read goes into the scan field and the scan form is sent, exactly as a USB scanner does.
// Without the API (or without a camera) nothing changes: the button stays hidden.
(function () {
  "use strict";
  var form = document.querySelector("[data-card-scan]");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var button = form.querySelector("[data-camera]");
  var video = form.querySelector("[data-camera-view]");
  var field = form.querySelector("input[name=card]");
  var submit = form.querySelector("button[value=scan]");
  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) return;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" } })
        .then(function (stream) {
          video.srcObject = stream;
          video.hidden = false;
          return video.play().then(function () { look(detector, stream); });
        })
        .catch(function () { field.focus(); });
    });
  });

  function look(detector, stream) {
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        field.value = codes[0].rawValue;
        form.requestSubmit(submit);
      } else {
        window.requestAnimationFrame(function () { look(detector, stream); });
      }
    });
  }
})();
