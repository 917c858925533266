// The five shapes' small tasks, trained off the page's thread.

import * as Comlink from "comlink";
import { ShapesService } from "../../lib/labs/shapes.ts";

Comlink.expose(new ShapesService());
