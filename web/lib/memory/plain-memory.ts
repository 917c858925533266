// Memory for the JS twin where the platform has no WebAssembly (iOS Lockdown
// Mode, hardened browsers): an ArrayBuffer that grows by pages the way a
// WebAssembly.Memory does, so the heap, the arena and every layer run on it
// unchanged. It is never shared: such a platform trains on one thread.

const PAGE = 65536;

export class PlainMemory {
  buffer: ArrayBuffer;

  constructor(initialPages: number, private readonly maximumPages: number) {
    this.buffer = new ArrayBuffer(initialPages * PAGE);
  }

  /** Grows by `pages` pages (the contents kept); returns the previous size in pages, as WebAssembly.Memory.grow does. */
  grow(pages: number): number {
    const before = this.buffer.byteLength / PAGE;
    if (!(Number.isInteger(pages) && pages >= 0) || before + pages > this.maximumPages) throw new RangeError(`cannot grow memory by ${pages} pages`);
    const next = new ArrayBuffer((before + pages) * PAGE);
    new Uint8Array(next).set(new Uint8Array(this.buffer));
    this.buffer = next;
    return before;
  }
}
