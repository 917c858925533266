// Hands bytes to the person as a file download. Names become safe file
// names of a length every file system takes (a model may be named with a
// million characters; its file still downloads).

const MAX_NAME = 100;

/** A file name from a model's name: letters, digits, dots and dashes, at most 100 characters. */
export function fileName(name: string, extension = ".safetensors"): string {
  const base = name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, MAX_NAME).replace(/-+$/, "");
  return `${base || "model"}${extension}`;
}

/** Downloads bytes under a safe form of `name` (with `extension` added; give "" when the name has its own). */
export function download(bytes: Uint8Array, name: string, extension = ".safetensors"): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: fileName(name, extension) });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
