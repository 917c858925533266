// Tokenizers: characters (names, char-level language models) or words, where
// punctuation marks and single digits are tokens of their own, so numbers are
// spelled out digit by digit and no number is out of vocabulary.

import { normalizeText, type NormalizeOptions } from "./normalize.ts";

export type TokenizerKind = "char" | "word";

export interface Tokenizer {
  readonly kind: TokenizerKind;
  /** The first `limit` tokens (all by default); a long text is cut while it is read, so it never takes memory for tokens that are dropped. */
  tokenize(text: string, limit?: number): string[];
  detokenize(tokens: readonly string[]): string;
}

const WORD = /\p{L}[\p{L}\p{M}'’]*|\p{N}|[^\s\p{L}\p{N}]/gu;
const CLOSING = /^[.,;:!?)\]}%»]$/;
const OPENING = /^[(\[{¿¡«$]$/;

/** How a model's texts were tokenized, as its model card records it. */
export interface TokenizerSpec {
  kind: TokenizerKind;
  lowercase: boolean;
}

export const tokenizerOf = (spec: TokenizerSpec): Tokenizer => createTokenizer(spec.kind, { lowercase: spec.lowercase });

export function createTokenizer(kind: TokenizerKind, normalize: NormalizeOptions = {}): Tokenizer {
  if (kind === "char") {
    return {
      kind,
      tokenize: (text, limit = Infinity) => take(normalizeText(text, normalize), limit),
      detokenize: (tokens) => tokens.join(""),
    };
  }
  return {
    kind,
    tokenize: (text, limit = Infinity) => take(normalizeText(text, normalize).matchAll(WORD), limit, (m) => m[0]),
    // Spaces between words, none before closing or after opening punctuation, none between digits.
    detokenize: (tokens) => {
      let out = "";
      tokens.forEach((t, i) => {
        const prev = tokens[i - 1];
        const glue = i === 0 || CLOSING.test(t) || OPENING.test(prev) || (/^\p{N}$/u.test(t) && /^\p{N}$/u.test(prev));
        out += (glue ? "" : " ") + t;
      });
      return out;
    },
  };
}

function take<T>(items: Iterable<T>, limit: number, map: (item: T) => string = String): string[] {
  const out: string[] = [];
  if (limit <= 0) return out;
  for (const item of items) {
    out.push(map(item));
    if (out.length >= limit) break;
  }
  return out;
}
