// The live "similar initiatives" panel of the expression-of-interest form: HTMX leaves error
// responses out of the page, but the panel's 429 ("paused") is a message to show, not an error.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 429 && event.detail.target.id === "similar-results") {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
