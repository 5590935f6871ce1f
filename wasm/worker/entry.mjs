// The Worker's entry module (wrangler.jsonc's "main", copied into
// dist/worker by `make worker` next to syumai/workers' generated files).
//
// syumai/workers' worker.mjs starts the Go program for every request. This
// module starts it once per isolate and gives it every request the isolate
// gets: the Go runtime starts and the model is parsed once, not per
// request. The Go side (serve_js.go) never exits; should it exit anyway (a
// panic), the next request starts it again.
import "./wasm_exec.js";
import { createRuntimeContext, loadModule } from "./runtime.mjs";

// syumai/workers' Go code calls this to catch JavaScript exceptions.
globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

// program is the running Go program: a promise of {go, binding}.
let program;

async function start(env, ctx) {
  const mod = await loadModule();
  const go = new Go();
  const binding = {};
  let ready;
  const started = new Promise((resolve) => {
    ready = resolve;
  });
  const instance = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
  });
  // The runtime context (env, ctx) is the first request's; the API uses
  // neither.
  const exited = go.run(instance, createRuntimeContext({ env, ctx, binding }));
  await Promise.race([
    started,
    exited.then(() => {
      throw new Error("the Go program exited while starting");
    }),
  ]);
  return { go, binding };
}

async function fetch(req, env, ctx) {
  if (program === undefined) {
    program = start(env, ctx);
  }
  let p;
  try {
    p = await program;
  } catch (e) {
    program = undefined;
    throw e;
  }
  if (p.go.exited) {
    program = undefined;
    return fetch(req, env, ctx);
  }
  return p.binding.handleRequest(req);
}

export default { fetch };
