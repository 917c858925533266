// Using a saved model from the command line: scoring it (eval), and its
// predictions (predict, generate, translate, forecast), printed as they come.

import { say, warn } from "./print.ts";
import type { Engine } from "../lib/engine.ts";
import { GatedError } from "../lib/errors.ts";
import type { ModelCard } from "../lib/persist/card.ts";
import type { PipelineKind } from "../lib/pipelines/kind.ts";
import { loadModel } from "../lib/persist/model-file.ts";
import { forecasterPipeline, MAX_FORECAST_STEPS } from "../lib/pipelines/forecaster/pipeline.ts";
import { MAX_SAMPLES } from "../lib/pipelines/language-model/pipeline.ts";
import { pipelineFor, predictWith } from "../lib/pipelines/registry.ts";
import { Random } from "../lib/util/random.ts";
import { number, text, UsageError, type Values } from "./args.ts";
import { readBytes } from "./files.ts";
import { evaluationLines } from "./report.ts";
import { cardData, fileRequest, loadData } from "./train.ts";

const percent = (p: number) => `${(100 * p).toFixed(1)}%`;

async function open(engineFor: (seed: number) => Promise<Engine>, values: Values) {
  const path = text(values, "model");
  if (!path) throw new UsageError("--model FILE is required");
  const bytes = readBytes(path, "the model file ");
  const { model, card } = loadModel(await engineFor(1), bytes, path);
  if (!card) throw new GatedError(`${path} holds a bare layer, not a model the command line can use`);
  return { model, card, path };
}

function expectKind(card: ModelCard, kinds: PipelineKind[], command: string): void {
  if (!kinds.includes(card.kind)) throw new UsageError(`${command} needs a ${kinds.join(" or ")} model; this one is a ${card.kind}`);
}

export async function evalCommand(engineFor: (seed: number) => Promise<Engine>, values: Values): Promise<void> {
  const { model, card, path } = await open(engineFor, values);
  const pipeline = pipelineFor(card.kind);
  const seed = number(values, "seed", { integer: true, min: 0 }) ?? 1;
  for (const flag of ["column", "encoding", "limit"]) if (values[flag] !== undefined && !values.data) throw new UsageError(`--${flag} goes with --data`);
  let data: { train: unknown; test: unknown };
  if (values.data) {
    const { items } = await loadData(pipeline, { ...fileRequest(values, card.data.seed), column: text(values, "column") ?? card.data.column });
    // All of the file is scored, unless it is the training file and only its held-out part is wanted.
    data = values["held-out"] ? pipeline.holdOut(items, card.data.testFraction, card.data.seed) : { train: [], test: items };
  } else {
    if (values["held-out"]) throw new UsageError("--held-out goes with --data");
    data = pipeline.holdOut((await cardData(pipeline, card, values, path)).items, card.data.testFraction, card.data.seed);
  }
  for (const line of evaluationLines(pipeline.evaluate(model, card, data, seed))) say(line);
}

export async function useCommand(engineFor: (seed: number) => Promise<Engine>, command: string, values: Values, texts: string[]): Promise<void> {
  const { model, card } = await open(engineFor, values);
  // Every answer goes through the pipelines' one predict, typed by the kind the request names.
  const rng = new Random(number(values, "seed", { integer: true, min: 0 }) ?? Date.now() % 2 ** 31);
  const needTexts = () => {
    if (texts.length === 0) throw new UsageError(`${command} needs at least one text`);
  };
  switch (command) {
    case "predict": {
      expectKind(card, ["classifier"], command);
      needTexts();
      if (values.json && values["per-word"]) throw new UsageError("--json and --per-word go apart: --json prints one object per text");
      for (const r of predictWith(model, card, { kind: "classifier", texts, steps: !!values["per-word"] }, rng)) {
        // Machine-readable: the probabilities in the card's label order, as other runtimes' outputs are compared with.
        if (values.json) {
          say(JSON.stringify({ text: r.text, label: r.label, probabilities: r.probabilities }));
          continue;
        }
        say(`${r.label}\t${Object.entries(r.probabilities).map(([l, p]) => `${l} ${percent(p)}`).join(", ")}\t${r.text}`);
        for (const s of r.steps ?? []) say(`  ${s.token}\t→ ${s.label} ${percent(s.probabilities[s.label])}`);
      }
      return;
    }
    case "generate": {
      expectKind(card, ["language-model", "generator"], command);
      const count = number(values, "n", { integer: true, min: 1, max: MAX_SAMPLES }) ?? 10;
      const sampling = { temperature: number(values, "temperature", { min: 0, max: 100 }), topK: number(values, "top-k", { integer: true, min: 1 }) };
      if (card.kind === "generator") {
        if (values.prefix !== undefined) throw new UsageError("--prefix is for language models; this one generates by label");
        if (!values.condition) throw new UsageError(`--condition is required: one of ${card.conditions.join(", ")}`);
        const condition = String(values.condition);
        for (let i = 0; i < count; i++) say(predictWith(model, card, { kind: "generator", ...sampling, condition, count: 1 }, rng)[0].text);
      } else {
        if (values.condition !== undefined) throw new UsageError("--condition is for generate-by-label models; this one is a language model");
        const prefix = typeof values.prefix === "string" ? { prefix: values.prefix } : {};
        for (let i = 0; i < count; i++) say(predictWith(model, card, { kind: "language-model", ...sampling, ...prefix, count: 1 }, rng)[0].text);
      }
      return;
    }
    case "translate": {
      expectKind(card, ["translator"], command);
      needTexts();
      const beam = number(values, "beam", { integer: true, min: 1, max: 64 }) ?? 1;
      for (const r of predictWith(model, card, { kind: "translator", texts, beam }, rng)) say(r.text);
      return;
    }
    case "forecast": {
      expectKind(card, ["forecaster"], command);
      if (texts.length) throw new UsageError(`unexpected argument "${texts[0]}"`);
      const c = card as Extract<ModelCard, { kind: "forecaster" }>;
      const steps = number(values, "steps", { integer: true, min: 1, max: MAX_FORECAST_STEPS }) ?? 12;
      for (const flag of ["column", "encoding"]) if (values[flag] !== undefined && !values.data) throw new UsageError(`--${flag} goes with --data`);
      let history: number[] | undefined;
      if (values.data) history = (await loadData(forecasterPipeline, { ...fileRequest(values, c.data.seed), column: text(values, "column") ?? c.data.column })).items as number[];
      else if (c.data.preset) history = (await cardData(forecasterPipeline, c, values, "the model")).items as number[];
      else warn(`(continuing the end of the training part of ${c.data.name}; give --data FILE to continue another series)`);
      const { values: next } = predictWith(model, card, { kind: "forecaster", steps, ...(history ? { history } : {}) }, rng);
      next.forEach((value, k) => say(`+${k + 1}\t${value.toFixed(3)}`));
      return;
    }
  }
}
