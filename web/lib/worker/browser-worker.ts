// The training service in a browser module worker (see the browser
// spawnTrainingService). A web app sends its own data (a file's text or
// items): the built-in data sets are the command line's and the playground's.

import * as Comlink from "comlink";
import { TrainingService } from "./service.ts";

Comlink.expose(new TrainingService());
