/* "Fill from a passport photo": <input type="file" data-passport-photo-for="PREFIX"> sends the photo to
   /api/v1/intake/passport; the machine-readable lines it reads (checked on the server) go into the
   MRZ box of that traveller, whose own script then fills the fields. One listener serves every traveller. */
(() => {
  "use strict";
  document.addEventListener("change", async (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.passportPhotoFor || !input.files?.length) return;
    const prefix = input.dataset.passportPhotoFor;
    const status = document.querySelector(`[data-passport-photo-status="${prefix}"]`);
    const body = new FormData();
    body.append("file", input.files[0]);
    if (status) status.textContent = input.dataset.reading || "Reading the photo…";
    try {
      const response = await fetch("/api/v1/intake/passport", { method: "POST", body });
      const answer = await response.json();
      if (!response.ok) {
        if (status) status.textContent = answer.errors?.[0]?.message || "The photo could not be read.";
        return;
      }
      const box = document.querySelector(`textarea[data-mrz-for="${prefix}"]`);
      if (box) {
        box.value = answer.mrz.join("\n");
        box.dispatchEvent(new Event("input", { bubbles: true }));
      }
      if (status) status.textContent = "";
    } catch (error) {
      if (status) status.textContent = "The photo could not be sent. Check the connection and try again.";
    }
  });
})();
