// A vocabulary: tokens ↔ ids, with fixed ids for the special tokens
// (0 padding, 1 unknown, 2 start, 3 end), built from a corpus with an
// optional size limit and minimum count (most frequent first, ties by first
// appearance, so building is deterministic).

import { GatedError } from "../errors.ts";

export const PAD = 0;
export const UNK = 1;
export const BOS = 2;
export const EOS = 3;
const SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"];

export interface VocabularyOptions {
  /** Most tokens kept, specials included. */
  maxSize?: number;
  /** Tokens seen fewer times are left out (mapped to <unk>). */
  minCount?: number;
}

export class Vocabulary {
  private readonly index: Map<string, number>;

  constructor(readonly tokens: readonly string[]) {
    if (SPECIALS.some((s, i) => tokens[i] !== s)) throw new GatedError(`a vocabulary must start with ${SPECIALS.join(", ")}`);
    this.index = new Map(tokens.map((t, i) => [t, i]));
    if (this.index.size !== tokens.length) throw new GatedError("a vocabulary cannot list a token twice");
  }

  static build(corpus: Iterable<readonly string[]>, { maxSize = Infinity, minCount = 1 }: VocabularyOptions = {}): Vocabulary {
    const counts = new Map<string, number>();
    for (const seq of corpus) for (const t of seq) if (!SPECIALS.includes(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const ranked = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1]);
    return new Vocabulary([...SPECIALS, ...ranked.slice(0, Math.max(0, maxSize - SPECIALS.length)).map(([t]) => t)]);
  }

  get size(): number {
    return this.tokens.length;
  }

  id(token: string): number {
    return this.index.get(token) ?? UNK;
  }

  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.id(t));
  }

  /** Tokens of the ids, stopping at the end token and skipping padding and start. */
  decode(ids: readonly number[]): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (id === EOS) break;
      if (id === PAD || id === BOS) continue;
      out.push(this.tokens[id] ?? SPECIALS[UNK]);
    }
    return out;
  }

  toJSON(): string[] {
    return [...this.tokens];
  }
}
