// Runs an ONNX model with ONNX Runtime (onnxruntime-node) on cases written by export.py and
// writes the outputs back as JSON.  Usage: node ort_check.mjs <ort module dir> <in.json> <out.json>
import { createRequire } from 'module';
import fs from 'fs';
const [, , ortDir, inPath, outPath] = process.argv;
const require = createRequire(import.meta.url);
const ort = require(ortDir);
const spec = JSON.parse(fs.readFileSync(inPath, 'utf8'));
const session = await ort.InferenceSession.create(spec.model);
const results = [];
for (const c of spec.cases) {
  const feeds = {};
  for (const [name, t] of Object.entries(c.feeds)) {
    const arr = t.type === 'int64' ? BigInt64Array.from(t.data.map((x) => BigInt(x)))
                                   : Float32Array.from(t.data);
    feeds[name] = new ort.Tensor(t.type, arr, t.dims);
  }
  const out = await session.run(feeds);
  const r = {};
  for (const name of c.fetch) {
    r[name] = { dims: out[name].dims, data: Array.from(out[name].data) };
  }
  results.push(r);
}
fs.writeFileSync(outPath, JSON.stringify({
  inputs: session.inputNames, outputs: session.outputNames, results }));
