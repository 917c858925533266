// The playground's entry: the app, the device's status, and the service worker.
// The locale fix goes first: modules run in import order, and uPlot reads the language as it loads.
import "./lib/locale.ts";
import { mount } from "svelte";
import App from "./App.svelte";
import { environment } from "./lib/environment.svelte.ts";
import { pwa } from "./lib/pwa.svelte.ts";
import "./app.css";

environment.start();
pwa.start();
mount(App, { target: document.getElementById("app")! });
