"use strict";
// Loads tegaki's WebAssembly with a progress bar, after checking that the
// browser has what the app needs. The script tag's data-wasm names the wasm
// file (tools/bundle rewrites it to the hashed name); in the single-file
// page it is a data: URL of type application/gzip, decompressed here.
(async () => {
  // Read before the first await, while this script is the current one.
  const wasmURL = document.currentScript?.dataset.wasm || "main.wasm";
  const loader = document.getElementById("loader");
  const bar = document.getElementById("progress");
  const barText = document.getElementById("progress-text");
  const fail = (message) => {
    const el = document.getElementById("error");
    el.textContent = message;
    el.hidden = false;
    loader.hidden = true;
    document.getElementById("prediction").textContent = message;
  };

  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fail("This browser cannot run WebAssembly, which tegaki needs. Try a recent Chrome, Firefox or Safari.");
    return;
  }
  if (!document.createElement("canvas").getContext("webgl2")) {
    fail("This browser has no WebGL 2, which tegaki's drawing canvas needs. Try a recent browser, or enable hardware acceleration.");
    return;
  }

  try {
    const response = await fetch(wasmURL);
    if (!response.ok) {
      throw new Error(`${wasmURL}: ${response.status} ${response.statusText}`);
    }
    const gzipped = response.headers.get("Content-Type") === "application/gzip";
    // With compression, Content-Length counts compressed bytes while the
    // stream yields decompressed ones; the server sends the real size.
    const total = gzipped ? 0 : Number(response.headers.get("X-Decoded-Length") || response.headers.get("Content-Length")) || 0;
    const body = gzipped ? response.body.pipeThrough(new DecompressionStream("gzip")) : response.body;
    const reader = body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      if (total > 0) {
        bar.value = Math.min(received / total, 0.99);
        barText.textContent = `${(received / 1e6).toFixed(1)} of ${(Math.max(total, received) / 1e6).toFixed(1)} MB`;
      } else {
        bar.removeAttribute("value");
        barText.textContent = `${(received / 1e6).toFixed(1)} MB`;
      }
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.length;
    }
    bar.value = 1;
    const go = new Go();
    const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
    loader.hidden = true;
    await go.run(instance);
  } catch (err) {
    fail(`tegaki could not start: ${err.message || err}`);
  }
})();
