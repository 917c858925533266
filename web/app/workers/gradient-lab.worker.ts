// One cell kind's gradient lab, off the page's thread.

import * as Comlink from "comlink";
import { GradientLabService } from "../../lib/labs/lab-service.ts";

Comlink.expose(new GradientLabService());
