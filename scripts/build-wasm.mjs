// Compiles every target of asconfig.json (simd, relaxed-simd and scalar, each
// for shared and unshared memory) into web/wasm/, in one process.
import { readFileSync } from "node:fs";
import asc from "assemblyscript/asc";

const config = JSON.parse(readFileSync(new URL("../asconfig.json", import.meta.url), "utf8"));
const targets = Object.keys(config.targets);
for (const target of targets) {
  const { error, stderr } = await asc.main(["--config", "asconfig.json", "--target", target]);
  if (error) {
    console.error(stderr.toString());
    console.error(`wasm target ${target} failed: ${error.message}`);
    process.exit(1);
  }
}
console.log(`built ${targets.length} wasm targets into web/wasm/`);
