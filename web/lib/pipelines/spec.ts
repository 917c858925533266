// What a page, a form or a command line may know of a pipeline without
// loading it: plain data (its names, what its file holds, its options with
// defaults and ranges). The implementation (pipelines/<task>.ts) spreads its
// spec and adds what only a worker runs.

import type { PipelineKind } from "./kind.ts";
import type { OptionSpec } from "./options.ts";

export interface PipelineSpec<K extends PipelineKind = PipelineKind> {
  readonly kind: K;
  /** The task's name (the CLI's --task). */
  readonly name: string;
  readonly title: string;
  /** One sentence on what it learns. */
  readonly about: string;
  /** What a user's data file holds. */
  readonly fileFormat: string;
  /** How the command line uses a model of this kind, FILE standing for its file. */
  readonly commandLine: string;
  /** Share of the data held out for testing unless the caller says otherwise. */
  readonly testFraction: number;
  /** Every option of the model and of training, with defaults, ranges and descriptions. */
  readonly options: readonly OptionSpec[];
}
