// The post console's seal box, enhanced: where the browser offers BarcodeDetector and a camera,
// a "Camera" button reads the QR code and submits it like a scanner that types would.
// Without it, nothing changes: the box takes what a USB or Bluetooth scanner types.
// Its texts come from the page (seals/_scan_text.html), so they are translated.
(function () {
  "use strict";
  function t(key) {
    var node = document.querySelector('#scan-text [data-t="' + key + '"]');
    return node ? node.textContent : key;
  }
  var form = document.getElementById("seal-scan");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var input = form.querySelector("#seal-input");
  var button = form.querySelector("[data-camera]");
  var video = form.querySelector("[data-camera-view]");
  var hint = form.querySelector("[data-camera-hint]");
  var stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    button.textContent = t("camera");
  }

  function look(detector) {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      var seal = codes.find(function (code) { return code.rawValue && code.rawValue.charAt(0) === "{"; });
      if (seal) {
        input.value = seal.rawValue;
        stop();
        form.submit();
      } else {
        setTimeout(function () { look(detector); }, 200);
      }
    }, function () { setTimeout(function () { look(detector); }, 500); });
  }

  function start() {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      button.textContent = t("stop_camera");
      return video.play().then(function () { look(detector); });
    }, function () {
      hint.textContent = " " + t("no_camera");
      stop();
    });
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") < 0) return;
    button.hidden = false;
    hint.hidden = false;
    button.addEventListener("click", function () { if (stream) { stop(); } else { start(); } });
  });
})();
