// The console's login page. Arriving here means the officer logged out or the session ended: the
// device's list goes (the outbox stays, sealed, and is sent after this login). On submit, a key is
// derived from the password (store.stashLogin) so that the console can keep its device key wrapped
// under it and reopen the list after a reload with no connection. The form is then sent as usual.

import { stashLogin, wipe } from "./store.js";

const form = document.querySelector("form[data-offline=login]");
if (form && window.crypto && crypto.subtle && window.indexedDB) {
  const ready = wipe().catch(() => {});
  let sending = false;
  form.addEventListener("submit", async (event) => {
    if (sending) return;
    event.preventDefault();
    sending = true;
    try {
      await ready;
      await stashLogin(form.querySelector("[name=username]").value, form.querySelector("[name=password]").value);
    } catch (error) {
      // no IndexedDB here (a private window): the console then works only while online
    }
    form.submit();
  });
}
