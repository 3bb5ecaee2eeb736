/* "Fill from a passport photo": <input type="file" data-passport-photo-for="PREFIX"> sends the photo to
   /api/v1/intake/passport; the machine-readable lines it reads (checked on the server) go into the
   MRZ box of that traveller, whose own script then fills the fields. One listener serves every traveller.
   Its texts come from the page (intake/_passport_photo_text.html), so they are translated. */
(() => {
  "use strict";
  const t = (key) => {
    const node = document.querySelector(`#passport-photo-text [data-t="${key}"]`);
    return node ? node.textContent : key;
  };
  document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.passportPhotoFor || !input.files?.length) return;
    const prefix = input.dataset.passportPhotoFor;
    const status = document.querySelector(`[data-passport-photo-status="${prefix}"]`);
    const body = new FormData();
    body.append("file", input.files[0]);
    if (status) status.textContent = t("reading");
    try {
      const response = await fetch("/api/v1/intake/passport", {
        method: "POST", body, headers: { "Accept-Language": document.documentElement.lang || "en" }, // the page's, not the browser's
      });
      const answer = await response.json();
      if (!response.ok) {
        if (status) status.textContent = answer.errors?.[0]?.message || t("unreadable");
        return;
      }
      const box = document.querySelector(`textarea[data-mrz-for="${prefix}"]`);
      if (box) {
        box.value = answer.mrz.join("\n");
        box.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (status) status.textContent = "";
    } catch (error) {
      if (status) status.textContent = t("not_sent");
    }
  });
})();
