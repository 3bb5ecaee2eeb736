/* Sends a document from the notice's page over a weak link: photos are shrunk first (long side 2000 px,
   JPEG), the upload shows its progress, and a failed upload can be sent again with "Try again" without
   choosing the file again. Forms marked data-document-upload work without this script: the server then
   receives the original file and shrinks it itself. Its texts come from the page (documents/_upload_text.html),
   so they are translated. */
(() => {
  "use strict";
  const t = (key, params = {}) => {
    const node = document.querySelector(`#upload-text [data-t="${key}"]`);
    const text = node ? node.textContent : key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  };
  const LONG_SIDE = 2000;
  const QUALITY = 0.85;
  const PHOTO = /^image\/(jpeg|png|webp)$/;

  // Returns a JPEG Blob of the photo with its long side at most LONG_SIDE, or the file itself when it
  // is not a photo, cannot be decoded here, or would not get smaller.
  const shrink = async (file) => {
    if (!PHOTO.test(file.type) || !window.createImageBitmap) return file;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" }); // phones save sideways
    } catch (error) {
      return file;
    }
    const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent parts of a PNG become white, like paper
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    return blob && (scale < 1 || blob.size < file.size) ? blob : file;
  };

  const parts = (form) => ({
    bar: form.querySelector("[data-progress]"),
    text: form.querySelector("[data-progress-text]"),
    error: form.querySelector("[data-error]"),
    retry: form.querySelector("[data-retry]"),
    submit: form.querySelector("button:not([data-retry])"),
  });

  const show = (form, state) => {
    const p = parts(form);
    p.bar.hidden = state.progress === undefined;
    if (state.progress !== undefined) p.bar.value = state.progress;
    p.text.textContent = state.text || "";
    p.error.textContent = state.error || "";
    p.retry.hidden = !state.retry;
    p.submit.disabled = Boolean(state.busy);
    form.querySelector(".field").classList.toggle("invalid", Boolean(state.error));
  };

  const reloadAt = (address) => {
    const target = new URL(address, window.location.href);
    if (target.pathname + target.search === window.location.pathname + window.location.search) {
      window.location.hash = target.hash;
      window.location.reload(); // same page: a new hash alone would not load the new document list
    } else {
      window.location.assign(target.href);
    }
  };

  const send = (form, body) => {
    show(form, { progress: 0, text: t("sending", { percent: 0 }), busy: true });
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.round((100 * event.loaded) / event.total);
      show(form, { progress: percent, text: t("sending", { percent }), busy: true });
    });
    const lost = () => show(form, { retry: true, error: t("lost") });
    request.addEventListener("load", () => {
      let reply = null;
      try { reply = JSON.parse(request.responseText); } catch (error) { reply = null; } // a proxy's error page
      if (request.status === 201 && reply && reply.redirect) {
        show(form, { progress: 100, text: t("received"), busy: true });
        reloadAt(reply.redirect);
      } else if (request.status >= 400 && request.status < 500 && reply && reply.errors) {
        show(form, { error: reply.errors.map((e) => e.message).join(" ") }); // choose another file
      } else {
        lost();
      }
    });
    request.addEventListener("error", lost);
    request.addEventListener("timeout", lost);
    request.send(body);
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-document-upload")) return;
    const input = form.querySelector('input[type="file"]');
    if (!input || !input.files.length || !window.FormData) return; // the browser posts the form itself
    event.preventDefault();
    show(form, { text: t("preparing"), busy: true });
    const file = input.files[0];
    const prepared = await shrink(file);
    const body = new FormData(form);
    // The name is never used by the server; a neutral one keeps personal file names off the wire.
    body.set("file", prepared, prepared === file ? "document" : "photo.jpg");
    form.kordonUpload = body; // kept for "Try again"
    send(form, body);
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest ? event.target.closest("[data-retry]") : null;
    if (button && button.form && button.form.kordonUpload) send(button.form, button.form.kordonUpload);
  });
})();
