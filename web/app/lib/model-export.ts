// A stored model as a zip to download: its ONNX graphs and their JSON
// description, or the folder that continues it in PyTorch (predict.py,
// train.py, …). The worker makes the files (it reads the model file, as
// every load does); the page only zips them.

import { zipSync } from "fflate";
import { fileName } from "./download.ts";
import { serviceFor } from "./services.ts";

export type ExportFormat = "onnx" | "pytorch";

export async function exportArchive(bytes: Uint8Array, format: ExportFormat, name: string): Promise<{ zip: Uint8Array; name: string }> {
  const base = fileName(name, "");
  const files = await serviceFor("models").exportModel(bytes, format, base);
  const folder = `${base}-${format}`;
  return { zip: zipSync(Object.fromEntries(Object.entries(files).map(([file, data]) => [`${folder}/${file}`, data]))), name: `${folder}.zip` };
}
