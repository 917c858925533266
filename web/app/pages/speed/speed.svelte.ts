// The Speed page's state: the plan (workloads, threads), a run in the
// worker with its progress, and the runs kept on this device.

import type { SuitePlan, SuiteProgress, SuiteRun } from "../../../lib/bench/suite.ts";

export interface BenchWorker {
  run(plan: SuitePlan, onProgress?: (p: SuiteProgress) => void, withOrt?: boolean): Promise<SuiteRun>;
}

export interface RunStore {
  listBenchmarks(): Promise<SuiteRun[]>;
  putBenchmark(run: SuiteRun): Promise<void>;
  deleteBenchmark(timestamp: string): Promise<void>;
}

export class SpeedLab {
  workloads = $state<string[]>(["lstm-128"]);
  threads = $state(1);
  reps = $state(3);
  /** Also time ONNX Runtime Web's inference (its engine is fetched on first use). */
  withOrt = $state(false);
  running = $state(false);
  progress = $state.raw<SuiteProgress | null>(null);
  /** The run shown. */
  shown = $state.raw<SuiteRun | null>(null);
  kept = $state.raw<SuiteRun[]>([]);
  error = $state<string | null>(null);

  constructor(
    private readonly worker: BenchWorker,
    private readonly store: RunStore,
    private readonly listen: (fn: (p: SuiteProgress) => void) => (p: SuiteProgress) => void = (fn) => fn,
  ) {}

  async load(): Promise<void> {
    this.kept = await this.store.listBenchmarks();
    this.shown ??= this.kept[0] ?? null;
  }

  async run(): Promise<void> {
    if (this.running || !this.workloads.length) return;
    this.running = true;
    this.error = null;
    this.progress = null;
    try {
      const plan = { workloads: [...this.workloads], threads: this.threads, reps: this.reps };
      const run = await this.worker.run(plan, this.listen((p) => (this.progress = p)), this.withOrt);
      this.shown = run;
      await this.store.putBenchmark(run);
      this.kept = await this.store.listBenchmarks();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.running = false;
    }
  }

  async remove(timestamp: string): Promise<void> {
    await this.store.deleteBenchmark(timestamp);
    this.kept = await this.store.listBenchmarks();
    if (this.shown?.timestamp === timestamp) this.shown = this.kept[0] ?? null;
  }
}
