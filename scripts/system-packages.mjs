// The Debian packages the tests need besides Node's: the browsers they drive
// (Chromium; Firefox ESR; WebKitGTK's WebDriver, under an Xvfb display), and
// PyTorch and onnx, which run what `gated export` writes.
// `npm test` runs this first. Where one is missing it installs them when it
// can (as root, or with sudo that asks no password, and apt reachable);
// otherwise it stops at once with the exact command to run. Never a silent
// skip: a test suite that ran without a browser would prove nothing.
//   node scripts/system-packages.mjs [--check]   (--check: say what is missing, install nothing)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Each package, and the file whose presence shows it is installed. */
const PACKAGES = [
  ["chromium", "/usr/bin/chromium"],
  ["firefox-esr", "/usr/bin/firefox-esr"],
  ["webkit2gtk-driver", "/usr/bin/WebKitWebDriver"],
  ["xvfb", "/usr/bin/Xvfb"],
  ["xauth", "/usr/bin/xauth"],
  // What exported models are checked with: PyTorch (and its BLAS), and onnx's checker.
  ["python3-torch", "/usr/lib/python3/dist-packages/torch/__init__.py"],
  ["libopenblas0-pthread", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"],
  ["python3-onnx", "/usr/lib/python3/dist-packages/onnx/__init__.py"],
];

const missing = PACKAGES.filter(([, file]) => !existsSync(file)).map(([name]) => name);
if (missing.length === 0) process.exit(0);

const line = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
const stopWith = (why) => {
  console.error(`The tests need Debian packages that are not installed: ${missing.join(", ")}.\n${why}\nInstall them as root, then run the tests again:\n  ${line}`);
  process.exit(1);
};

if (process.argv.includes("--check")) stopWith("(--check installs nothing.)");
if (!existsSync("/usr/bin/apt-get")) stopWith("This machine has no apt-get (it is not Debian or Ubuntu): install the same browsers with its own package manager.");
const root = process.getuid?.() === 0;
const sudo = !root && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
if (!root && !sudo) stopWith("This user is not root and cannot use sudo without a password.");

console.log(`installing ${missing.join(", ")} with apt-get (about a minute)…`);
const prefix = root ? [] : ["sudo", "-n"];
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", ...missing]]) {
  const [cmd, ...rest] = [...prefix, ...args];
  const r = spawnSync(cmd, rest, { stdio: "inherit", env });
  if (r.status !== 0) stopWith(`"${[cmd, ...rest].join(" ")}" failed (is the package archive reachable?).`);
}
const still = PACKAGES.filter(([name, file]) => missing.includes(name) && !existsSync(file)).map(([name]) => name);
if (still.length) stopWith(`apt-get ran, but ${still.join(", ")} still did not install its program.`);
