"use strict";
// Loads tegaki's WebAssembly with a progress bar, after checking that the
// browser has what the app needs. The script tag's data-wasm names the wasm
// file (tools/bundle rewrites it to the hashed name); in the single-file
// page it is a data: URL of type application/gzip, decompressed here.
// Its words come from site/i18n.js.
(async () => {
  const t = (key, ...args) => (window.tegakiI18n ? tegakiI18n.text(key, ...args) : key);
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
    fail(t("no-wasm"));
    return;
  }
  if (!document.createElement("canvas").getContext("webgl2")) {
    fail(t("no-webgl"));
    return;
  }

  try {
    const response = await fetch(wasmURL);
    if (!response.ok) {
      throw new Error(`${wasmURL}: ${response.status} ${response.statusText}`);
    }
    const gzipped = response.headers.get("Content-Type") === "application/gzip";
    // The figures are the bytes that cross the network. With a
    // Content-Encoding, Content-Length counts those, while the stream
    // yields the decoded bytes, whose number tools/serve sends as
    // X-Decoded-Length: the decoded count, scaled by the ratio of the two,
    // is the share of the download received. Without X-Decoded-Length
    // (another server) a compressed download shows no figure, rather than
    // one four times too large.
    const length = Number(response.headers.get("Content-Length")) || 0;
    const encoded = Boolean(response.headers.get("Content-Encoding"));
    const decoded = encoded ? Number(response.headers.get("X-Decoded-Length")) || 0 : length;
    const total = gzipped ? 0 : decoded;
    const wire = total > 0 ? length / total : encoded ? 0 : 1; // network bytes per decoded byte
    const body = gzipped ? response.body.pipeThrough(new DecompressionStream("gzip")) : response.body;
    const reader = body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      const mb = (n) => (n * wire / 1e6).toFixed(1);
      if (total > 0) {
        bar.value = Math.min(received / total, 0.99);
        barText.textContent = t("progress-of", mb(received), mb(Math.max(total, received)));
      } else {
        bar.removeAttribute("value");
        barText.textContent = wire > 0 ? t("progress-mb", mb(received)) : "";
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
    fail(t("could-not-start", err.message || err));
  }
})();
