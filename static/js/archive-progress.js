// Follows an archive being built (portability): polls the URL in data-poll-url every two
// seconds, moves the progress bar and its text, and reloads the page once the archive is
// ready or failed (the page then shows the download link or the error).
document.querySelectorAll("[data-poll-url]").forEach((box) => {
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.pollUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
          return;
        }
        bar.value = state.percent;
        bar.textContent = `${state.percent} %`;
        text.textContent = `${state.percent} % (${state.done} éléments sur ${state.total || "…"})`;
      }
    } catch (error) {
      // The network hiccuped: try again at the next tick.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
});
