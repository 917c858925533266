// ONNX Runtime Web as the Speed page's inference peer, on 1 and N threads:
// each workload it has a network for (the ONNX files in bench/fixtures) runs
// in a fresh worker that ends with it (see workers/ort.worker.ts).

import * as Comlink from "comlink";
import type { InferencePeer } from "../../lib/bench/suite.ts";
import type { OrtApi } from "../workers/ort.worker.ts";
import lstm128 from "../../../bench/fixtures/lstm-128.onnx?url";
import gru128 from "../../../bench/fixtures/gru-128.onnx?url";
import lstm256 from "../../../bench/fixtures/lstm-256.onnx?url";

const NETWORKS: Record<string, string> = { "lstm-128": lstm128, "gru-128": gru128, "lstm-256": lstm256 };

/** The workloads ONNX Runtime Web can run here. */
export const ORT_WORKLOADS = Object.keys(NETWORKS);

export function ortPeers(threads: number[]): InferencePeer[] {
  return [...new Set(threads)].map((n) => ({
    system: "ort-web", backend: "wasm", variant: "ort", label: `ort-web wasm ×${n}`, threads: n,
    async open(w) {
      const network = NETWORKS[w.id];
      if (!network) return null;
      const worker = new Worker(new URL("../workers/ort.worker.ts", import.meta.url), { type: "module" });
      const api = Comlink.wrap<OrtApi>(worker);
      try {
        const version = await api.open(w.id, new URL(network, import.meta.url).href, n);
        return { variant: `ort ${version}`, infer: () => api.infer(), close: async () => worker.terminate() };
      } catch (e) {
        worker.terminate();
        // Its files are kept for offline use only once fetched: say so rather than "Failed to fetch".
        if (!navigator.onLine) throw new Error("offline, and not kept on this device yet: it is saved for offline use after one run online");
        throw e;
      }
    },
  }));
}
