// The host-side allocator for the engine's memory: first-fit over a free list
// kept sorted by address, neighbours coalesced on release, every block aligned
// to a cache line. It grows the memory when it may, up to a limit, and refuses
// a request beyond the limit with an error instead of failing half-way.

import { GatedError } from "../errors.ts";

export const ALIGN = 64;
const PAGE = 65536;

interface Block {
  ptr: number;
  size: number;
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

export class Arena {
  private readonly free: Block[] = [];
  private readonly used = new Map<number, number>();
  /** Blocks allocated inside each open atomically() call, innermost last. */
  private readonly journals: Set<number>[] = [];
  /** What to undo, besides those blocks, when each open call fails (see onRollback). */
  private readonly undos: (() => void)[][] = [];
  private isClosed = false;
  private end: number;
  private inUse = 0;
  private highWater = 0;

  /**
   * Manages [base, end) of memory. When growable, the region extends at the top
   * of the memory (which must be where `end` lies) up to limitBytes in total.
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    end: number,
    private readonly limitBytes: number,
    private readonly growable: boolean,
  ) {
    const start = align(base);
    this.end = end;
    if (end > start) this.free.push({ ptr: start, size: end - start });
  }

  /** Bytes handed out and not yet released. */
  get usedBytes(): number {
    return this.inUse;
  }

  /** The most bytes handed out at once since the arena was made or resetPeak was called. */
  get peakBytes(): number {
    return this.highWater;
  }

  resetPeak(): void {
    this.highWater = this.inUse;
  }

  /** Allocates `bytes` (rounded up to the alignment); the contents are unspecified. */
  alloc(bytes: number): number {
    this.assertOpen();
    if (!Number.isFinite(bytes) || bytes < 0) throw new GatedError(`memory request of ${bytes} bytes is not a valid size`);
    const size = Math.max(ALIGN, align(bytes));
    let index = this.free.findIndex((b) => b.size >= size);
    if (index < 0) index = this.grow(size);
    const block = this.free[index];
    const ptr = block.ptr;
    if (block.size === size) this.free.splice(index, 1);
    else {
      block.ptr += size;
      block.size -= size;
    }
    this.used.set(ptr, size);
    this.inUse += size;
    this.highWater = Math.max(this.highWater, this.inUse);
    this.journals.at(-1)?.add(ptr);
    return ptr;
  }

  /**
   * Runs fn; if it throws, every block it allocated and did not release is
   * released before the error goes on, so a refused request (a model too big
   * for the limit, say) keeps none of the memory it took on the way.
   */
  atomically<R>(fn: () => R): R {
    const journal = new Set<number>();
    const undo: (() => void)[] = [];
    this.journals.push(journal);
    this.undos.push(undo);
    try {
      const result = fn();
      this.journals.pop();
      this.undos.pop();
      // Blocks kept by a nested call still belong to the enclosing one's attempt.
      for (const ptr of journal) this.journals.at(-1)?.add(ptr);
      this.undos.at(-1)?.push(...undo);
      return result;
    } catch (e) {
      this.journals.pop();
      this.undos.pop();
      for (const f of undo) f();
      for (const ptr of journal) if (this.used.has(ptr)) this.release(ptr);
      throw e;
    }
  }

  /** Inside atomically(): `fn` runs if the attempt fails (so that whoever kept a pointer to a block it took forgets it). */
  onRollback(fn: () => void): void {
    this.undos.at(-1)?.push(fn);
  }

  /** After close, every request is refused (the engine was disposed). */
  close(): void {
    this.isClosed = true;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  assertOpen(): void {
    if (this.isClosed) throw new GatedError("this engine was disposed; create a new one");
  }

  /** Returns a block to the free list. */
  release(ptr: number): void {
    this.assertOpen();
    const size = this.used.get(ptr);
    if (size === undefined) throw new GatedError(`release of pointer ${ptr}, which this arena did not allocate`);
    this.used.delete(ptr);
    this.inUse -= size;
    for (const journal of this.journals) journal.delete(ptr);
    let i = 0;
    while (i < this.free.length && this.free[i].ptr < ptr) i++;
    this.free.splice(i, 0, { ptr, size });
    this.coalesce(i);
    if (i > 0) this.coalesce(i - 1);
  }

  private coalesce(i: number): void {
    const a = this.free[i];
    const b = this.free[i + 1];
    if (b && a.ptr + a.size === b.ptr) {
      a.size += b.size;
      this.free.splice(i + 1, 1);
    }
  }

  /** Grows the memory so that a block of `size` fits at the top; returns its free-list index. */
  private grow(size: number): number {
    const last = this.free[this.free.length - 1];
    const tail = last && last.ptr + last.size === this.end ? last.size : 0;
    const current = this.memory.buffer.byteLength;
    const wanted = this.end + size - tail;
    if (!this.growable || wanted > this.limitBytes) {
      throw new GatedError(
        `memory request of ${mib(size)} exceeds the engine's limit of ${mib(this.limitBytes)} ` +
          `(${mib(this.usedBytes)} in use); raise the engine's maxMemoryMB (the CLI's --max-memory) or use smaller models, batches or sequences`,
      );
    }
    // Grow by at least half again, so repeated requests do not grow page by page.
    const target = Math.min(this.limitBytes, Math.max(wanted, Math.floor(current * 1.5)));
    const pages = Math.ceil((target - current) / PAGE);
    if (pages > 0) {
      try {
        this.memory.grow(pages);
      } catch {
        throw new GatedError(`memory request of ${mib(size)} failed: the platform refused to grow memory to ${mib(target)}`);
      }
    }
    const newEnd = this.memory.buffer.byteLength;
    if (tail > 0) last.size += newEnd - this.end;
    else this.free.push({ ptr: this.end, size: newEnd - this.end });
    this.end = newEnd;
    return this.free.length - 1;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
