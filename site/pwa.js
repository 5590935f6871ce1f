"use strict";
// Offline and updates: registers the service worker (sw.js), and when a new
// version of the page has been downloaded in the background, shows the
// #update banner instead of switching under the user's finger. "Reload"
// tells the waiting worker to take over and reloads once it has.
//
// Nothing happens from a file:// URL (the single-file page) or in a browser
// without service workers, and a failed registration only costs offline
// use: the page itself never depends on this script.
(() => {
  if (location.protocol === "file:" || !("serviceWorker" in navigator)) {
    return;
  }
  const banner = document.getElementById("update");
  const button = document.getElementById("update-reload");
  let accepted = false;

  // offer shows the banner for a worker that is installed and waiting.
  const offer = (worker) => {
    if (!banner || !button) {
      return;
    }
    button.onclick = () => {
      accepted = true;
      button.disabled = true;
      worker.postMessage("skipWaiting");
    };
    banner.hidden = false;
  };

  // The new worker takes over after the user said so: load the new page.
  // (On a first visit the worker also takes control, and nothing reloads.)
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) {
      location.reload();
    }
  });

  const register = async () => {
    try {
      const reg = await navigator.serviceWorker.register("sw.js");
      // Only a page that an older worker controls has something to update.
      const waiting = (worker) => worker && navigator.serviceWorker.controller;
      if (waiting(reg.waiting)) {
        offer(reg.waiting);
      }
      reg.addEventListener("updatefound", () => {
        const worker = reg.installing;
        worker?.addEventListener("statechange", () => {
          if (worker.state === "installed" && waiting(worker)) {
            offer(worker);
          }
        });
      });
      // The browser looks for a new sw.js on each visit; a page left open
      // looks when it is shown again, and every hour.
      const check = () => reg.update().catch(() => {});
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") {
          check();
        }
      });
      setInterval(check, 60 * 60 * 1000);
    } catch (err) {
      console.warn("tegaki: no offline use:", err);
    }
  };

  // Register once the app has started, so that the worker's precache finds
  // main.wasm in the HTTP cache rather than downloading it a second time
  // while the page is still loading it.
  const body = document.body;
  if (body.dataset.ready === "true") {
    register();
    return;
  }
  const seen = new MutationObserver(() => {
    if (body.dataset.ready === "true") {
      seen.disconnect();
      register();
    }
  });
  seen.observe(body, { attributes: true, attributeFilter: ["data-ready"] });
})();
