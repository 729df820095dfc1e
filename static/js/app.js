// Spec Review's own script: small, and no inline handlers anywhere (the CSP forbids them).
"use strict";

// Stale forms (409), refusals (403/404) and invalid input (422) come back as server-rendered
// panels and are swapped in place by htmx (see htmx-config in base.html). Anything else that
// fails is said plainly instead of silently doing nothing.
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  window.alert(status >= 500 || status === 0
    ? "Spec Review could not complete that. Please try again in a moment."
    : "That request was refused (" + status + ").");
});
