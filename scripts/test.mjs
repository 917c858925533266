// Runs every test suite (as-pect kernel specs, then vitest: unit, reference,
// worker and browser tests) and prints one plain summary line with the totals:
//   N passed, N failed
// Exits non-zero when anything failed or when a suite ran no tests at all.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const results = [];

/** A suite that exited non-zero counts at least one failure, even if its report lost it (a crash, a failed file import). */
function record(suite, passed, failed, status) {
  results.push({ suite, passed, failed: status !== 0 && failed === 0 ? 1 : failed, total: passed + failed });
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: "utf8", stdio: ["inherit", "pipe", "inherit"], env: process.env });
  process.stdout.write(r.stdout ?? "");
  return r;
}

// as-pect prints "[Tests]: passed / total".
{
  const r = run("npx", ["asp", "--config", "as-pect.config.js", "--as-config", "as-pect.asconfig.json"]);
  const m = (r.stdout ?? "").replace(/\x1b\[[0-9;]*m/g, "").match(/\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/);
  const passed = m ? Number(m[1]) : 0;
  const total = m ? Number(m[2]) : 0;
  record("as-pect kernel specs", passed, total - passed, r.status);
}

// vitest writes a JSON report alongside its usual output.
{
  const report = "test-results/vitest.json";
  mkdirSync("test-results", { recursive: true });
  rmSync(report, { force: true });
  const r = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  let passed = 0;
  let failed = 0;
  try {
    const json = JSON.parse(readFileSync(report, "utf8"));
    passed = json.numPassedTests;
    failed = json.numFailedTests;
  } catch {
    // no report: counted as a failure below through the exit status
  }
  record("vitest", passed, failed, r.status);
}

let passed = 0;
let failed = 0;
let empty = false;
console.log("");
for (const r of results) {
  console.log(`${r.suite}: ${r.passed} passed, ${r.failed} failed`);
  passed += r.passed;
  failed += r.failed;
  if (r.total === 0) {
    console.log(`${r.suite} ran no tests`);
    empty = true;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || empty ? 1 : 0);
