"use strict";
// The page's language: English or Japanese, whichever the user last chose
// with the switch in the header (kept in localStorage), or else the first
// of the browser's languages that the page speaks, or else English. It
// puts the words of site/messages.js (generated from wasm/app/msg, the
// catalog) into every element with a data-msg attribute (its text) or
// data-msg-aria-label, data-msg-title (those attributes), sets <html lang>,
// which the app reads, the title, the description and the web app
// manifest, and on a switch dispatches "tegaki:lang" on document, on which
// the app redraws its canvas.
//
// It runs before the other scripts, which call tegakiI18n.text(key, ...args)
// for their words: each %s in a message takes the next argument.
(() => {
  const STORE = "tegaki.lang";
  const DEFAULT = "en";
  const langs = Object.keys(MESSAGES);

  const remembered = () => {
    try {
      return localStorage.getItem(STORE);
    } catch {
      return null; // storage disabled: nothing remembered
    }
  };

  const choose = () => {
    const kept = remembered();
    if (langs.includes(kept)) return kept;
    for (const tag of navigator.languages || [navigator.language || ""]) {
      const primary = String(tag).split(/[-_]/)[0].toLowerCase();
      if (langs.includes(primary)) return primary;
    }
    return DEFAULT;
  };

  let lang = choose();

  const text = (key, ...args) => {
    const s = MESSAGES[lang][key] ?? MESSAGES[DEFAULT][key] ?? key;
    return s.replace(/%%|%s/g, (v) => (v === "%%" ? "%" : String(args.shift() ?? "")));
  };

  // The manifest per language: manifest.webmanifest is English's, and
  // tools/bundle writes manifest.<lang>.webmanifest for the others.
  const manifestFor = (href, l) => href.replace(/manifest(\.[a-z]+)?\.webmanifest$/, l === DEFAULT ? "manifest.webmanifest" : `manifest.${l}.webmanifest`);

  const apply = () => {
    document.documentElement.lang = lang;
    document.title = text("title");
    document.querySelector('meta[name="description"]')?.setAttribute("content", text("description"));
    const manifest = document.querySelector('link[rel="manifest"]');
    if (manifest) manifest.setAttribute("href", manifestFor(manifest.getAttribute("href"), lang));
    for (const el of document.querySelectorAll("[data-msg]")) el.textContent = text(el.dataset.msg);
    for (const el of document.querySelectorAll("[data-msg-aria-label]")) el.setAttribute("aria-label", text(el.dataset.msgAriaLabel));
    for (const el of document.querySelectorAll("[data-msg-title]")) el.setAttribute("title", text(el.dataset.msgTitle));
    const sw = document.getElementById("lang");
    if (sw) {
      // The switch names, in its own words, the language it switches to.
      const next = langs[(langs.indexOf(lang) + 1) % langs.length];
      sw.textContent = MESSAGES[next]["lang-name"];
      sw.lang = next;
      sw.dataset.next = next;
      sw.setAttribute("aria-label", `${text("lang-switch")}: ${MESSAGES[next]["lang-name"]}`);
    }
  };

  const set = (l) => {
    if (!langs.includes(l)) throw new RangeError(`tegakiI18n.set: no language ${JSON.stringify(l)}; the page speaks ${langs.join(", ")}`);
    try {
      localStorage.setItem(STORE, l);
    } catch {
      // Not remembered, but switched all the same.
    }
    if (l === lang) return;
    lang = l;
    apply();
    document.dispatchEvent(new CustomEvent("tegaki:lang", { bubbles: true, detail: { lang } }));
  };

  apply();
  document.getElementById("lang")?.addEventListener("click", (e) => set(e.currentTarget.dataset.next));
  Object.defineProperty(window, "tegakiI18n", {
    value: Object.freeze({ get lang() { return lang; }, langs: Object.freeze(langs.slice()), text, set }),
  });
})();
