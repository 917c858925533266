// Trains a small sentiment classifier in a worker (two threads where the page
// is cross-origin isolated), then classifies a sentence; the page shows what
// happened as JSON.
import { spawnTrainingService } from "gated/worker";

const out = document.getElementById("out")!;
const items = Array.from({ length: 200 }, (_, i) => ({ text: `${i % 2 ? "great" : "awful"} film ${i % 17}`, label: i % 2 ? "pos" : "neg" }));
try {
  const { service } = await spawnTrainingService();
  const info = await service.start({ kind: "classifier", items, threads: 2, options: { epochs: 3, hiddenSize: 16, embeddingDim: 16 } });
  await service.run();
  const [answer] = await service.predict({ kind: "classifier", texts: ["great film 3"] });
  out.textContent = JSON.stringify({ threads: info.threads, note: info.threadsNote ?? null, variant: info.variant, label: answer.label });
} catch (e) {
  out.textContent = JSON.stringify({ error: (e as Error).message, name: (e as Error).name });
}
