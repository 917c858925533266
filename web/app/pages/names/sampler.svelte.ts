// The names page's sampler: settings a student turns (temperature, top-k,
// a prefix), the samples they asked for, and a feed of samples drawn after
// every epoch so the model's progress can be read off its inventions.

import type { GeneratedText, GenerateRequest } from "../../../lib/pipelines/language-model/spec.ts";

export type Predict = (request: GenerateRequest) => Promise<GeneratedText[]>;

/** How a token shows in the page: the end of a name is a token of its own. */
export const showToken = (token: string): string => (token === "</s>" ? "end" : token === " " ? "␣" : token);

/** A request from the page's settings (top-k 0: every token may be drawn). */
export function request(s: { temperature: number; topK: number; prefix: string }, count: number, distributions = false): GenerateRequest {
  return { count, temperature: s.temperature, ...(s.topK > 0 ? { topK: s.topK } : {}), ...(s.prefix ? { prefix: s.prefix } : {}), ...(distributions ? { distributions: true, top: 6 } : {}) };
}

export class Sampler {
  temperature = $state(0.8);
  topK = $state(0);
  prefix = $state("");
  count = $state(12);
  samples = $state.raw<GeneratedText[]>([]);
  /** The sample whose next-character distributions are shown. */
  selected = $state(0);
  /** Samples drawn at the end of each epoch, newest first. */
  feed = $state.raw<{ epoch: number; samples: GeneratedText[] }[]>([]);
  problem = $state<string | null>(null);

  constructor(private readonly predict: Predict) {}

  async generate(): Promise<void> {
    try {
      this.samples = await this.predict(request(this, this.count, true));
      this.selected = 0;
      this.problem = null;
    } catch (e) {
      this.problem = (e as Error).message;
    }
  }

  /** After an epoch: a few samples at the current settings, kept in the feed. */
  async epochEnded(epoch: number): Promise<void> {
    if (this.feed.some((f) => f.epoch === epoch)) return;
    try {
      const samples = await this.predict(request(this, 6));
      this.feed = [{ epoch, samples }, ...this.feed.filter((f) => f.epoch !== epoch)];
    } catch (e) {
      this.problem = (e as Error).message;
    }
  }

  /** A new training run: its feed starts empty. */
  clearFeed(): void {
    this.feed = [];
  }

  /** Share of the shown samples that are new (undefined when the data is not at hand). */
  get novelShare(): number | undefined {
    const marked = this.samples.filter((s) => s.novel !== undefined);
    return marked.length ? marked.filter((s) => s.novel).length / marked.length : undefined;
  }
}
