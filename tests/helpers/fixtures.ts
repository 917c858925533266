import { readFileSync } from "node:fs";

export interface Flat {
  shape: number[];
  data: number[];
}

export interface TorchCase {
  name: string;
  kind: "rnn" | "lstm" | "gru";
  options: Record<string, unknown> & { inputSize: number; hiddenSize: number };
  stateDict: Record<string, Flat>;
  x: Flat;
  lengths: number[] | null;
  h0?: Flat;
  c0?: Flat;
  output: Flat;
  hN: Flat;
  cN?: Flat;
  gradOutput?: Flat;
  gradHN?: Flat;
  gradCN?: Flat;
  gradX: Flat;
  gradH0?: Flat;
  gradC0?: Flat;
  grads: Record<string, Flat>;
}

export function torchCases(): TorchCase[] {
  const url = new URL("../fixtures/torch-recurrent.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).cases;
}
