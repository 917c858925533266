// The `gated` command line: train models on the built-in data sets or your
// own files, then evaluate them and use them. It drives the library's
// pipelines and training sessions. Every bad argument ends with a one-line
// error naming it and exit status 2; other failures with status 1; an
// interrupted training with 130, its work saved.

import { say, warn } from "./print.ts";
import { BACKENDS, type Backend, createEngine, type Engine } from "../lib/engine.ts";
import { GatedError } from "../lib/errors.ts";
import { GATED_VERSION } from "../lib/version.ts";
import { PRESETS } from "../lib/data/presets.ts";
import { PIPELINES } from "../lib/pipelines/registry.ts";
import { checkFlags, choice, COMMANDS, describe, helpFor, number, parse, UsageError, type Values } from "./args.ts";
import { exportCommand } from "./export.ts";
import { trainCommand } from "./train.ts";
import { evalCommand, useCommand } from "./use.ts";

function help(): string {
  const lines = ["gated — recurrent networks (RNN, LSTM, GRU) in WebAssembly SIMD", ""];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.usage.split(" | ")[0].padEnd(52)} ${c.summary}`);
  lines.push("", "presets:");
  for (const [name, p] of Object.entries(PRESETS)) lines.push(`  ${name.padEnd(12)} ${p.about}`);
  lines.push("", "tasks for --data FILE --task TASK, and the options each takes besides the shared ones:");
  const shared = new Set(Object.values(PIPELINES).map((p) => p.options.map((s) => s.flag)).reduce((a, b) => a.filter((f) => b.includes(f))));
  for (const p of Object.values(PIPELINES)) {
    const own = p.options.filter((s) => !shared.has(s.flag)).map((s) => `--${s.flag}`);
    lines.push(`  ${p.name.padEnd(18)} ${p.fileFormat}${own.length ? `\n  ${"".padEnd(18)} options: ${own.join(" ")}` : ""}`);
  }
  lines.push("", "shared model and training options:");
  for (const s of PIPELINES.classifier.options.filter((s) => shared.has(s.flag))) lines.push(`  --${s.flag.padEnd(18)} ${describe(s)}`);
  lines.push("", "gated COMMAND --help shows a command's options; gated --version its version.");
  return lines.join("\n");
}


function engineFactory(values: Values): (seed: number) => Promise<Engine> {
  const backend = choice<Backend>(values, "backend", BACKENDS) ?? "wasm-simd";
  const maxMemoryMB = number(values, "max-memory", { integer: true, min: 16, max: 4096 }) ?? 4096;
  return (seed) => createEngine({ backend, seed, maxMemoryMB });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === "help" || command === "--help" || command === "-h") {
      say(help());
      return 0;
    }
    if (command === "--version" || command === "version") {
      say(`gated ${GATED_VERSION}`);
      return 0;
    }
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command "${command}"; run gated help`);
    const { values, positionals } = parse(rest);
    if (values.help) {
      say(helpFor(command));
      return 0;
    }
    if (values.version) throw new UsageError("--version goes alone: gated --version");
    checkFlags(command, values);
    const engines = engineFactory(values);
    switch (command) {
      case "train":
        return await trainCommand(engines, values, positionals);
      case "export":
        if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        await exportCommand(engines, values);
        return 0;
      case "eval":
        if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        await evalCommand(engines, values);
        return 0;
      default:
        await useCommand(engines, command, values, positionals);
        return 0;
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof GatedError) {
      warn(`gated: ${e.message}`);
      return e instanceof UsageError ? 2 : 1;
    }
    throw e;
  }
}
