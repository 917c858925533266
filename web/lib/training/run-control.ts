// Run control of a training loop, in one place for the session and the
// worker service: a caller pauses, resumes and stops a run; work that must
// land between two batches (a prediction, a checkpoint) holds it briefly and
// lets it go on unless the caller had paused it. The loop asks between()
// before each batch, which also lets the event loop run now and then.

/** Longest stretch of batches without letting other events (messages, a Ctrl-C, a page's input) in. */
const YIELD_MS = 50;

interface Gate {
  /** Resolves when the run may go on. */
  promise: Promise<void>;
  open: () => void;
  /** Resolves once the run is held (or has ended). */
  reached: Promise<void>;
  held: () => void;
}

export class RunControl {
  private gate: Gate | null = null;
  private stopRequested = false;
  private holds = 0;
  private pausedByCaller = false;
  private lastYield = 0;

  /** A run begins: no stop or pause pending from before. */
  begin(): void {
    this.stopRequested = false;
    this.pausedByCaller = false;
    this.lastYield = performance.now();
  }

  /** Before a batch: lets events in, waits while paused (`paused` says when it is held and when it goes on); false once a stop was asked for. */
  async between(paused: (held: boolean) => void): Promise<boolean> {
    if (performance.now() - this.lastYield > YIELD_MS) {
      await yieldToEvents();
      this.lastYield = performance.now();
    }
    if (this.gate) {
      paused(true);
      this.gate.held();
      await this.gate.promise;
      paused(false);
      this.lastYield = performance.now();
    }
    return !this.stopRequested;
  }

  /** The run has returned: whoever waits for it to be held stops waiting. */
  end(): void {
    this.gate?.held();
    this.gate = null;
  }

  /** A caller's pause of a running run: resolves once it is held after its current batch. */
  pause(running: boolean): Promise<void> {
    if (running) this.pausedByCaller = true;
    return this.request(running);
  }

  /** A caller's resume (a hold in progress lets the run go on when it ends). */
  resume(): void {
    this.pausedByCaller = false;
    if (this.holds === 0) this.open();
  }

  /** Ends the run after its current batch, paused or not. */
  stop(): void {
    this.stopRequested = true;
    this.pausedByCaller = false;
    this.open();
  }

  /** Runs fn with a running run held between two batches, then lets it go on (unless a caller paused it meanwhile). */
  async hold<R>(running: boolean, fn: () => R): Promise<R> {
    if (!running && this.holds === 0) return fn();
    this.holds++;
    try {
      await this.request(running);
      return fn();
    } finally {
      if (--this.holds === 0 && !this.pausedByCaller) this.open();
    }
  }

  private request(running: boolean): Promise<void> {
    if (!running) return Promise.resolve();
    if (!this.gate) {
      let open!: () => void;
      let held!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      const reached = new Promise<void>((resolve) => (held = resolve));
      this.gate = { promise, open, reached, held };
    }
    return this.gate.reached;
  }

  private open(): void {
    const gate = this.gate;
    this.gate = null;
    gate?.held();
    gate?.open();
  }
}

/** Lets the event loop run without the 4 ms clamp of nested timers. */
function yieldToEvents(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(0);
  });
}
