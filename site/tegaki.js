"use strict";
/**
 * tegaki's JS API, for other scripts and pages, and the page's "open an
 * image" (file picker, drag and drop, paste). Loaded before main.js, so that
 * window.tegaki.ready exists from the start; the Go app (wasm/app/api.go)
 * connects to it once it runs.
 *
 *   await tegaki.ready              // resolves to window.tegaki once the app runs;
 *                                   // rejects if it cannot start
 *   tegaki.classify(input)          // → {digit: 7, probabilities: [10 numbers]}
 *   tegaki.explain(input, digit?)   // → 784 numbers: why the answer (or digit)
 *   tegaki.clear()                  // clears the drawing (or the opened picture)
 *   tegaki.model                    // {name, sha256, testAccuracy, params}
 *
 * classify(input) takes one picture of a digit, any size, either polarity
 * (dark on light or light on dark), and prepares it exactly as the command
 * line does (nn/digit.FromImage), with its own copy of the network:
 *   - an ImageData;
 *   - a canvas (HTMLCanvasElement, OffscreenCanvas), an image (a loaded
 *     HTMLImageElement, an ImageBitmap, an SVGImageElement) or a video frame
 *     (HTMLVideoElement, VideoFrame), whose pixels are read through a 2D
 *     canvas (a cross-origin image without CORS cannot be read);
 *   - 784 grey levels, a 28×28 picture row by row: a Uint8Array,
 *     Uint8ClampedArray or Array of integers 0..255, in either polarity
 *     (MNIST's own white on black, 0 background, or black on white), as the
 *     Worker's {"pixels": [...]} takes them.
 * Pictures over 2048 pixels on a side are first scaled down to 2048 (the
 * preprocessing scales them to 20 pixels anyway); over 8192 on a side or
 * 40 Mi pixels in all they are refused. classify is synchronous and takes a
 * few milliseconds for a small picture, about 0.1 s for a 2048×2048 one.
 *
 * It throws an Error whose message starts with "tegaki.classify: " and says
 * what was wrong, with a code:
 *   "bad-input"  not a picture (a TypeError), not 784 values or a value outside
 *                0..255 (a RangeError), an empty or unloaded image, a
 *                cross-origin image;
 *   "no-digit"   nothing there: blank, uniform, noise or a dot ("no digit found");
 *   "too-large"  over the limits above;
 *   "not-ready"  called before tegaki.ready resolved.
 *
 * explain(input, digit) takes the same inputs and returns the why map of
 * digit (0..9), or of the answer when digit is left out: 784 numbers, 28×28
 * row by row over the input the network saw, positive where a pixel pushed
 * the network toward the digit and negative where it pushed against it,
 * zero where nothing is drawn (pretrained.Map; the same numbers as the
 * command line's classify -why draws). Its errors are classify's, with
 * "tegaki.explain: ", and "bad-input" for a digit that is not 0..9.
 *
 * Each time the page shows a new digit, for a drawing (also while a stroke
 * is being drawn, about ten times a second) or an opened picture, it
 * dispatches a CustomEvent "tegaki:prediction" on document, which bubbles
 * to window, with detail {digit, probabilities}. A blank result (clearing,
 * undoing the last stroke, a picture without a digit) dispatches none; the
 * DOM mirror, <output id="prediction" data-digit="">, shows those.
 */
(() => {
  const api = {};
  let bridge = null;
  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // a page that never awaits it gets no console noise
  Object.defineProperty(api, "ready", { value: ready, enumerable: true });
  window.tegaki = api;

  // The largest side of a picture handed to Go; larger ones are scaled
  // down first, which saves the wasm heap tens of megabytes.
  const MAX_DRAW = 2048;

  // The API function being called, which names its errors.
  let caller = "tegaki.classify";

  const apiError = (message, code, Type = Error) => {
    const err = new Type(`${caller}: ${message}`);
    err.code = code;
    return err;
  };

  const describe = (v) => {
    if (v === null || v === undefined) return String(v);
    if (typeof v !== "object" && typeof v !== "function") return `a ${typeof v}`;
    return `a ${v.constructor?.name || Object.prototype.toString.call(v).slice(8, -1)}`;
  };

  const is = (v, name) => typeof globalThis[name] === "function" && v instanceof globalThis[name];

  // size returns the pixel size of something drawImage takes, or null.
  const size = (src) => {
    if (is(src, "HTMLImageElement")) {
      if (!src.complete || src.naturalWidth === 0) {
        throw apiError("the image has not loaded (or is broken): await img.decode() first", "bad-input");
      }
      return [src.naturalWidth, src.naturalHeight];
    }
    if (is(src, "HTMLVideoElement")) return [src.videoWidth, src.videoHeight];
    if (is(src, "VideoFrame")) return [src.displayWidth, src.displayHeight];
    if (is(src, "SVGImageElement")) return [src.width.baseVal.value, src.height.baseVal.value];
    if (is(src, "HTMLCanvasElement") || is(src, "OffscreenCanvas") || is(src, "ImageBitmap")) {
      return [src.width, src.height];
    }
    return null;
  };

  const canvas = (w, h) => {
    if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(w, h);
    const c = document.createElement("canvas");
    c.width = w;
    c.height = h;
    return c;
  };

  // pixels returns {width, height, data} (RGBA, as ImageData) for a
  // picture, scaled down to at most MAX_DRAW on a side.
  const pixels = (src) => {
    let wh = is(src, "ImageData") ? [src.width, src.height] : size(src);
    if (!wh) {
      throw apiError(`want an ImageData, a canvas, an image or 784 grey levels (0..255), not ${describe(src)}`, "bad-input", TypeError);
    }
    const [w, h] = wh;
    if (!(w > 0 && h > 0)) {
      throw apiError(`an empty image (${w}×${h} pixels)`, "bad-input");
    }
    if (w > bridge.maxSide || h > bridge.maxSide || w * h > bridge.maxPixels) {
      throw apiError(`image too large: ${w}×${h} pixels, the limit is ${bridge.maxSide} on a side and ${bridge.maxPixels} in all`, "too-large");
    }
    if (is(src, "ImageData")) {
      if (Math.max(w, h) <= MAX_DRAW) return src;
      const c = canvas(w, h);
      c.getContext("2d").putImageData(src, 0, 0);
      src = c;
    }
    const k = Math.min(1, MAX_DRAW / Math.max(w, h));
    const cw = Math.max(1, Math.round(w * k));
    const ch = Math.max(1, Math.round(h * k));
    const ctx = canvas(cw, ch).getContext("2d", { willReadFrequently: true });
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(src, 0, 0, cw, ch);
    try {
      return ctx.getImageData(0, 0, cw, ch);
    } catch (err) {
      throw apiError(`cannot read the image's pixels (${err.name}): a cross-origin image needs CORS (crossorigin="anonymous")`, "bad-input");
    }
  };

  const grey = (values) => {
    if (values.length !== 784) {
      throw apiError(`${values.length} grey levels, want 784 (28×28, row by row)`, "bad-input", RangeError);
    }
    const bytes = new Uint8Array(784);
    for (let i = 0; i < 784; i++) {
      const v = values[i];
      if (!(Number.isInteger(v) && v >= 0 && v <= 255)) {
        throw apiError(`grey level ${i} (row ${Math.floor(i / 28)}, column ${i % 28}) is ${typeof v === "string" ? JSON.stringify(v) : String(v)}, want an integer from 0 to 255`, "bad-input", RangeError);
      }
      bytes[i] = v;
    }
    return bytes;
  };

  // call hands input to Go: grey levels to onGrey(bytes), a picture to
  // onRGBA(width, height, data). It returns Go's answer or throws its error.
  const call = (input, onGrey, onRGBA) => {
    if (!bridge) {
      throw apiError("the app is not ready yet: await tegaki.ready first", "not-ready");
    }
    let r;
    if (is(input, "Uint8Array") || is(input, "Uint8ClampedArray") || Array.isArray(input)) {
      r = onGrey(grey(input));
    } else {
      const { width, height, data } = pixels(input);
      r = onRGBA(width, height, data);
    }
    if (r.error) {
      throw apiError(r.error, r.code);
    }
    return r;
  };

  const classify = (input) => {
    const r = call(input, (g) => bridge.classifyGrey(g), (w, h, data) => bridge.classifyRGBA(w, h, data));
    return { digit: r.digit, probabilities: Array.from(r.probabilities) };
  };

  const explain = (input, digit) => {
    caller = "tegaki.explain";
    try {
      if (digit !== undefined && !(Number.isInteger(digit) && digit >= 0 && digit <= 9)) {
        throw apiError(`digit ${typeof digit === "string" ? JSON.stringify(digit) : String(digit)}, want an integer from 0 to 9`, "bad-input", RangeError);
      }
      const d = digit === undefined ? -1 : digit; // -1: the answer
      const r = call(input, (g) => bridge.explainGrey(d, g), (w, h, data) => bridge.explainRGBA(d, w, h, data));
      return Array.from(r.map);
    } finally {
      caller = "tegaki.classify";
    }
  };

  // The page's words (site/i18n.js), for what opening a file says.
  const text = (key, ...args) => (window.tegakiI18n ? tegakiI18n.text(key, ...args) : key);

  // decode turns an image file into something drawImage takes.
  const decode = async (file) => {
    try {
      return await createImageBitmap(file); // applies a photo's EXIF orientation
    } catch {
      // SVG, and formats createImageBitmap refuses: an <img> may decode them.
      const url = URL.createObjectURL(file);
      try {
        const img = new Image();
        img.src = url;
        await img.decode();
        return img;
      } catch {
        throw new Error(file.name ? text("not-an-image", file.name) : text("could-not-open-file"));
      } finally {
        URL.revokeObjectURL(url);
      }
    }
  };

  // open shows an image file in the app, as if it had been drawn.
  const open = async (file) => {
    if (!file) return;
    await ready;
    bridge.opening();
    try {
      const source = await decode(file);
      const { width, height, data } = pixels(source);
      source.close?.();
      bridge.open(width, height, data);
    } catch (err) {
      const why = String(err.message || err);
      bridge.fail(why.startsWith("tegaki.classify: ") ? text("could-not-open", why.slice(17)) : why);
    }
  };

  // The first image file among files, or the first file.
  const pick = (files) => {
    const list = Array.from(files || []);
    return list.find((f) => f.type.startsWith("image/")) || list[0];
  };

  // #open, a transparent file input that the app places over its Open
  // button; on a phone it offers the camera too.
  const input = document.getElementById("open-file");
  input?.addEventListener("change", () => {
    open(pick(input.files));
    input.value = ""; // opening the same file again is a change too
  });

  // Drag and drop anywhere on the page. The events are handled before they
  // reach ebiten's canvas and kept from it: ebiten reads dropped files
  // through webkitGetAsEntry, which is null for an image dragged from another
  // page, and its Go program then panics and stops.
  const hasFiles = (e) => Array.from(e.dataTransfer?.types || []).includes("Files");
  window.addEventListener("dragover", (e) => {
    e.stopPropagation();
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = hasFiles(e) ? "copy" : "none";
    if (hasFiles(e)) document.body.classList.add("dropping");
  }, { capture: true });
  window.addEventListener("dragleave", (e) => {
    if (e.relatedTarget === null) document.body.classList.remove("dropping");
  }, { capture: true });
  window.addEventListener("drop", (e) => {
    e.stopPropagation();
    e.preventDefault(); // and the browser does not navigate to the file
    document.body.classList.remove("dropping");
    if (hasFiles(e)) open(pick(e.dataTransfer.files));
  }, { capture: true });

  // Paste (Ctrl+V, Cmd+V) of an image, and Ctrl+O (Cmd+O) for the picker.
  document.addEventListener("paste", (e) => {
    const item = Array.from(e.clipboardData?.items || []).find((i) => i.kind === "file" && i.type.startsWith("image/"));
    if (item) {
      e.preventDefault();
      open(item.getAsFile());
    }
  });
  // ebiten cancels every keydown on its canvas, which has the focus, and a
  // cancelled Ctrl+V pastes nothing: these keys are kept from it.
  window.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
    const key = e.key.toLowerCase();
    if (key === "v") {
      e.stopPropagation();
    } else if (key === "o" && input) {
      e.stopPropagation();
      e.preventDefault();
      input.click();
    }
  }, { capture: true });

  // The app failed to start: main.js or the Go program shows #error.
  const error = document.getElementById("error");
  if (error) {
    const failed = () => {
      if (!error.hidden && !bridge) rejectReady(new Error(error.textContent || "tegaki could not start"));
    };
    new MutationObserver(failed).observe(error, { attributes: true, attributeFilter: ["hidden"] });
    failed();
  }

  // The Go app calls this once it runs (wasm/app/api.go), and calls the
  // function it returns on each new result.
  Object.defineProperty(window, "__tegakiConnect", {
    configurable: true,
    value: (b) => {
      bridge = b;
      const m = b.model;
      Object.defineProperties(api, {
        classify: { value: classify, enumerable: true },
        explain: { value: explain, enumerable: true },
        clear: { value: () => b.clear(), enumerable: true },
        model: {
          value: Object.freeze({ name: m.name, sha256: m.sha256, testAccuracy: m.testAccuracy, params: m.params }),
          enumerable: true,
        },
      });
      resolveReady(api);
      return (digit, probabilities) => {
        // After the game loop's frame, not inside it.
        queueMicrotask(() => document.dispatchEvent(new CustomEvent("tegaki:prediction", {
          bubbles: true,
          detail: { digit, probabilities },
        })));
      };
    },
  });
})();
