// ONNX Runtime Web's side of tegaki's peer benchmark (tools/peerbench).
//
// peerbench writes this file into a temporary folder and runs it in Node:
//
//	node ortbench.mjs ORT_DIR MODEL_DIR SECONDS ARCH...
//
// ORT_DIR holds node_modules/onnxruntime-web; MODEL_DIR holds ARCH.onnx for
// each ARCH, exported by torchbench.py. It prints one JSON object,
// {"predict/ARCH": µs, ...}: the median time of one session.run on one
// digit with the wasm backend on one thread, after a warm-up.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [ortDir, modelDir, seconds, ...archs] = process.argv.slice(2);
const ort = createRequire(join(ortDir, 'package.json'))('onnxruntime-web');
ort.env.wasm.numThreads = 1;

const warmupCalls = 1000;

// median returns the middle of xs (the mean of the two middle values when
// there is an even number of them).
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const result = {};
for (const arch of archs) {
  const session = await ort.InferenceSession.create(readFileSync(join(modelDir, arch + '.onnx')));
  const x = new Float32Array(784);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 1000) / 1000;
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x, [1, 1, 28, 28]) };
  for (let i = 0; i < warmupCalls; i++) await session.run(feeds);
  const times = [];
  const end = performance.now() + Number(seconds) * 1000;
  for (;;) {
    const start = performance.now();
    await session.run(feeds);
    const now = performance.now();
    times.push(now - start);
    if (now >= end) break;
  }
  result['predict/' + arch] = median(times) * 1000;
  await session.release();
}
console.log(JSON.stringify(result));
