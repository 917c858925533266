// What the header tells about this device: which engine build runs here,
// how many threads training may use and, when one, what is missing for more
// (cross-origin isolation, SharedArrayBuffer, WebAssembly), whether it is
// online, and the storage used.

import { hasRelaxedSimd, hasSimd, hasWasm, sharedMemoryProblem } from "../../lib/backends/features.ts";

export type Build = "FMA" | "SIMD" | "scalar" | "JS";

class Environment {
  /** The build training runs: the JS twin where the browser has no WebAssembly (iOS Lockdown Mode). */
  readonly build: Build = hasSimd() ? (hasRelaxedSimd() ? "FMA" : "SIMD") : hasWasm() ? "scalar" : "JS";
  readonly cores = typeof navigator === "undefined" ? 1 : Math.max(1, navigator.hardwareConcurrency || 1);
  readonly isolated = typeof crossOriginIsolated !== "undefined" && crossOriginIsolated;
  /** Why training cannot use more than one thread here, in words; undefined when it can. */
  readonly oneThreadWhy = sharedMemoryProblem();
  online = $state(typeof navigator === "undefined" ? true : navigator.onLine);
  /** Bytes this site stores, and what the browser allows it. */
  storage = $state<{ usage: number; quota: number } | null>(null);
  persisted = $state(false);

  /** Threads a training may use: every core when memory can be shared, else one. */
  get maxThreads(): number {
    return this.oneThreadWhy ? 1 : this.cores;
  }

  start(): void {
    addEventListener("online", () => (this.online = true));
    addEventListener("offline", () => (this.online = false));
    void this.measureStorage();
  }

  async measureStorage(): Promise<void> {
    if (!navigator.storage?.estimate) return;
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    this.storage = { usage, quota };
    this.persisted = (await navigator.storage.persisted?.()) ?? false;
  }

  /** Asks the browser not to evict this site's models under storage pressure. */
  async persist(): Promise<boolean> {
    this.persisted = (await navigator.storage?.persist?.()) ?? false;
    return this.persisted;
  }
}

export const environment = new Environment();

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** Whether the screen is a phone's: the width at which pages go to one column (52rem, as in PageLayout). */
export const narrowScreen = (): boolean => typeof matchMedia !== "undefined" && matchMedia("(max-width: 52rem)").matches;
