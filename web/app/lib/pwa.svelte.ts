// The page's side of the service worker: registered in production builds
// only; on a host that sends no isolation headers, the page reloads once when
// the worker first takes control, so that it is cross-origin isolated (a
// session flag prevents a reload loop); a new version is offered, and
// applied only when the user says so — never while a model trains.

import { Workbox } from "workbox-window";

class Pwa {
  /** The service worker controls the page: it works offline. */
  offlineReady = $state(false);
  /** A new version is installed and waiting. */
  updateReady = $state(false);
  private wb: Workbox | null = null;

  start(): void {
    if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
    this.wb = new Workbox("./sw.js", { scope: "./" });
    this.wb.addEventListener("waiting", () => (this.updateReady = true));
    navigator.serviceWorker.addEventListener("controllerchange", () => this.isolate());
    // Controlled already (a later visit): ready offline, even when the update check cannot reach the server.
    this.offlineReady = !!navigator.serviceWorker.controller;
    this.wb
      .register()
      .then(() => navigator.serviceWorker.ready)
      .then(() => this.isolate())
      .catch(() => {
        // Offline: the installed worker still serves the app; there is just no update to check.
      });
  }

  /** Reloads once so that the worker's headers apply; never twice in a session. */
  private isolate(): void {
    this.offlineReady = !!navigator.serviceWorker.controller;
    if (crossOriginIsolated || !navigator.serviceWorker.controller) return;
    if (sessionStorage.getItem("gated-isolation-reload")) return;
    sessionStorage.setItem("gated-isolation-reload", "1");
    location.reload();
  }

  /** Takes the waiting version and reloads into it. */
  update(): void {
    if (!this.wb) return;
    this.wb.addEventListener("controlling", () => location.reload());
    this.wb.messageSkipWaiting();
  }
}

export const pwa = new Pwa();
