// The components that hold logic: the options form built from a pipeline's
// specs, the data picker's file reading, the training controls by phase, and
// the evaluation view.

import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { translatorPipeline } from "../../web/lib/pipelines/translator/pipeline.ts";
import { classifierPipeline } from "../../web/lib/pipelines/classifier/pipeline.ts";
import { forecasterPipeline } from "../../web/lib/pipelines/forecaster/pipeline.ts";
import type { Evaluation } from "../../web/lib/pipelines/pipeline.ts";
import OptionsForm from "../../web/app/components/OptionsForm.svelte";
import DataPicker from "../../web/app/components/DataPicker.svelte";
import TrainControls from "../../web/app/components/TrainControls.svelte";
import EvaluationView from "../../web/app/components/EvaluationView.svelte";
import type { TrainingController } from "../../web/app/lib/training.svelte.ts";
import type { Selection } from "../../web/app/lib/data-assets.ts";

describe("the options form", () => {
  it("has a labelled, described control for every option of the pipeline, and writes edits into the values", async () => {
    const specs = translatorPipeline.options;
    const values = $state(Object.fromEntries(specs.map((s) => [s.key, s.default])));
    render(OptionsForm, { props: { specs, values } });
    for (const s of specs) {
      const control = screen.getByLabelText(s.label);
      expect(control.getAttribute("aria-describedby")).toBe(`option-${s.flag}-about`);
      expect(document.getElementById(`option-${s.flag}-about`)!.textContent).toBe(s.description);
    }
    await fireEvent.change(screen.getByLabelText("Hidden units"), { target: { value: "48" } });
    await fireEvent.change(screen.getByLabelText("Attention"), { target: { value: "additive" } });
    await fireEvent.click(screen.getByLabelText("Bidirectional"));
    expect(values.hiddenSize).toBe(48);
    expect(values.attention).toBe("additive");
    expect(values.bidirectional).toBe(false);
    // What is not a number is not taken.
    await fireEvent.change(screen.getByLabelText("Epochs"), { target: { value: "" } });
    expect(values.epochs).toBe(5);
  });

  it("shows the problems it is given, and disables everything while training", () => {
    const specs = classifierPipeline.options;
    render(OptionsForm, { props: { specs, values: Object.fromEntries(specs.map((s) => [s.key, s.default])), disabled: true, problems: ["hiddenSize must be from 1 to 4096, got 0"] } });
    expect(screen.getByRole("alert").textContent).toMatch(/hiddenSize must be from 1 to 4096/);
    expect((screen.getByLabelText("Cell") as HTMLSelectElement).matches(":disabled")).toBe(true);
  });
});

describe("the data picker", () => {
  const choices = [{ id: "uci", label: "Short reviews", about: "3,000 sentences", preset: "sentiment" as const }];

  it("selects a built-in data set, and reads a user's file — refusing bytes that are not UTF-8 with their line until Latin-1 is chosen", async () => {
    const state = $state<{ selected: string; selection: Selection | null }>({ selected: "uci", selection: null });
    render(DataPicker, {
      props: {
        choices, format: "CSV text,label",
        get selected() { return state.selected; }, set selected(v) { state.selected = v; },
        get selection() { return state.selection; }, set selection(v) { state.selection = v; },
      },
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(state.selection).toMatchObject({ kind: "preset", choice: { id: "uci" } });
    await fireEvent.click(screen.getByLabelText(/Your file/));
    expect(state.selected).toBe("file");
    const latin = new File([new Uint8Array([...new TextEncoder().encode("text,label\ngood,pos\n"), 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x70, 0x6f, 0x73])], "reviews.csv");
    const input = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    await fireEvent.change(input, { target: { files: [latin] } });
    await screen.findByRole("alert");
    expect(screen.getByRole("alert").textContent).toMatch(/reviews.csv, line 3: not valid UTF-8 text \(if the file is Latin-1, choose Latin-1 below\)/);
    expect(state.selection).toBeNull();
    await fireEvent.change(screen.getByLabelText("Encoding"), { target: { value: "latin1" } });
    await screen.findByText(/reviews.csv: .* of text read/);
    expect(state.selection).toMatchObject({ kind: "file", name: "reviews.csv", text: "text,label\ngood,pos\ncafé,pos" });
  });
});

describe("the data picker's column choice", () => {
  it("offers the numeric columns of a series file, the last by default, and passes the chosen one on", async () => {
    const state = $state({ selected: "file", selection: null as Selection | null });
    render(DataPicker, {
      props: {
        choices: [], format: forecasterPipeline.fileFormat, columnsOf: forecasterPipeline.columns,
        get selected() { return state.selected; }, set selected(v) { state.selected = v; },
        get selection() { return state.selection; }, set selection(v) { state.selection = v; },
      },
    });
    const csv = new File(["date,site,co2,temp\n2020-01,MLO,413.4,5.1\n2020-02,MLO,414.1,4.8\n"], "air.csv");
    await fireEvent.change(document.querySelector<HTMLInputElement>('input[type="file"]')!, { target: { files: [csv] } });
    const select = await screen.findByLabelText("Column");
    expect([...select.querySelectorAll("option")].map((o) => o.textContent)).toEqual(["co2", "temp"]);
    expect(state.selection).toMatchObject({ kind: "file", name: "air.csv", column: "temp" });
    await fireEvent.change(select, { target: { value: "co2" } });
    expect(state.selection).toMatchObject({ column: "co2" });
    expect(forecasterPipeline.parse((state.selection as { text: string }).text, { name: "air.csv", column: "co2" })).toEqual([413.4, 414.1]);
  });
});

describe("the training controls", () => {
  const controller = (phase: string, extra: Partial<TrainingController> = {}) =>
    ({ phase, busy: ["preparing", "running", "paused"].includes(phase), progress: null, epochs: [], info: null, error: null, pause() {}, resume() {}, stop() {}, continue() {}, ...extra }) as unknown as TrainingController;

  it("offers Train when idle, Pause and Stop while running, Resume when paused, Continue after a run, and says what failed", async () => {
    let started = 0;
    const { unmount } = render(TrainControls, { props: { controller: controller("idle"), threads: 1, ready: true, onTrain: () => started++ } });
    await fireEvent.click(screen.getByRole("button", { name: "Train" }));
    expect(started).toBe(1);
    unmount();
    const running = render(TrainControls, { props: { controller: controller("running"), threads: 1, ready: true, onTrain: () => {} } });
    expect(screen.getByRole("button", { name: "Pause" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Stop" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Train" })).toBeNull();
    running.unmount();
    const paused = render(TrainControls, { props: { controller: controller("paused"), threads: 1, ready: true, onTrain: () => {} } });
    expect(screen.getByRole("button", { name: "Resume" })).toBeTruthy();
    paused.unmount();
    render(TrainControls, { props: { controller: controller("stopped", { info: {} as never, error: "the loss is NaN" }), threads: 1, ready: false, onTrain: () => {} } });
    expect(screen.getByRole("button", { name: "Continue" })).toBeTruthy();
    expect((screen.getByRole("button", { name: "Train" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole("alert").textContent).toBe("the loss is NaN");
  });

  it("says which epoch's weights a stopped or finished model keeps", () => {
    const epochs = [1, 2, 3].map((epoch) => ({ epoch }));
    const progress = { epoch: 3, epochs: 10, batch: 5, batches: 5, loss: 0.3, lr: 0.003, gradNorm: 1, sequencesPerSecond: 100, steps: 15 };
    const stopped = render(TrainControls, { props: { controller: controller("stopped", { info: {} as never, epochs: epochs as never, progress: progress as never, kept: 2 }), threads: 1, ready: true, onTrain: () => {} } });
    expect(screen.getByText("Stopped after 3 epochs; the model keeps the weights of epoch 2, its best (lowest validation loss)")).toBeTruthy();
    stopped.unmount();
    render(TrainControls, { props: { controller: controller("stopped", { info: {} as never, progress: progress as never, kept: 0 }), threads: 1, ready: true, onTrain: () => {} } });
    expect(screen.getByText("Stopped after 0 epochs; no epoch ended: the model keeps the weights it had when stopped")).toBeTruthy();
  });
});

describe("the evaluation view", () => {
  it("shows the metrics beside the baseline, the confusion matrix and the examples, marking mistakes in words", () => {
    const evaluation: Evaluation = {
      count: 4, unit: "texts",
      metrics: [{ key: "accuracy", label: "accuracy", value: 0.75, format: "percent", better: "higher" }],
      baselines: [{ key: "majority", label: "always the most common label", value: 0.5, format: "percent", better: "higher" }],
      examples: [{ input: "not bad", output: "neg", expected: "pos", correct: false, confidence: 0.9 }, { input: "great", output: "pos", expected: "pos", correct: true, confidence: 0.99 }],
      confusion: { labels: ["neg", "pos"], counts: [[2, 0], [1, 1]] },
    };
    render(EvaluationView, { props: { evaluation } });
    expect(screen.getByText("75.0%")).toBeTruthy();
    expect(screen.getByText("50.0%")).toBeTruthy();
    const matrix = screen.getByRole("table", { name: /Confusion matrix/ });
    expect([...matrix.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["", "2", "0", "1", "1"]);
    const rows = screen.getByRole("table", { name: /mistakes and successes/ }).querySelectorAll("tbody tr");
    expect(rows[0].textContent).toMatch(/✗wrongnot badneg \(90%\)pos/);
    expect(rows[1].textContent).toMatch(/✓rightgreatpos \(99%\)pos/);
  });
});
