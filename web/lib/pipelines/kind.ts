// The five kinds of pipeline (the task a model file was trained for). A
// module of its own, importing nothing, so that data sets, model cards and
// pipelines can all name a kind without importing each other.

export const PIPELINE_KINDS = ["classifier", "language-model", "translator", "forecaster", "generator"] as const;

export type PipelineKind = (typeof PIPELINE_KINDS)[number];

export const isPipelineKind = (v: unknown): v is PipelineKind => PIPELINE_KINDS.some((k) => k === v);
