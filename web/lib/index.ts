// Gated: recurrent networks (RNN, LSTM, GRU) that train in WebAssembly SIMD.

export { createEngine, Engine, BACKENDS } from "./engine.ts";
export type { Backend, EngineOptions, MemoryRegion } from "./engine.ts";
export { GatedError } from "./errors.ts";
export { tensor, numel } from "./tensor.ts";
export type { Tensor, TensorLike } from "./tensor.ts";
export type { FloatArray, Precision } from "./memory/heap.ts";
export { Recurrent } from "./layers/recurrent.ts";
export type {
  RecurrentKind, RecurrentOptions, ForwardOptions, ForwardResult, BackwardGrads, BackwardResult, RecurrentDescriptor, StepTensors,
} from "./layers/recurrent.ts";
export { Parameter } from "./layers/parameter.ts";
export { Module } from "./layers/module.ts";
export { DeviceTensor } from "./layers/device.ts";
export { Embedding, type EmbeddingOptions } from "./layers/embedding.ts";
export { Linear, type LinearOptions } from "./layers/linear.ts";
export { Dropout } from "./layers/dropout.ts";
export { Pool, type PoolMode } from "./layers/pool.ts";
export { Merge, type MergeMode } from "./layers/merge.ts";
export { Attention, type AttentionOptions, type AttentionScore } from "./layers/attention.ts";
export { Losses, type LossResult } from "./layers/losses.ts";
export type { RecurrentInit, RunResult, RunGrads } from "./layers/recurrent.ts";
export { Optimizer } from "./optim/optimizer.ts";
export type { OptimizerKind, OptimizerOptions } from "./optim/optimizer.ts";
export { gradNorm } from "./optim/clip.ts";
export { hasSimd, hasRelaxedSimd, hasWasm, canShareMemory, sharedMemoryProblem, bestBackend } from "./backends/features.ts";

// Models, training and the pieces around them.
export { SequenceClassifier, type ClassifierConfig, type StepResult } from "./models/classifier.ts";
export { SequenceTagger, type TaggerConfig, IGNORE } from "./models/tagger.ts";
export { Seq2Seq, type Seq2SeqConfig, type Translation, teacherForcing } from "./models/seq2seq.ts";
export { SequenceGenerator, type GeneratorConfig } from "./models/generator.ts";
export { Encoder, type EncoderConfig } from "./models/encoder.ts";
export { createModel, configOf, type Model, type ModelConfig, type ModelOf } from "./models/create.ts";
export { tokenBatch, featureBatch, type SequenceBatch } from "./models/batch.ts";
export { sampleToken, type SamplingOptions } from "./models/sampling.ts";
export { train, evaluate, type TrainOptions, type TrainResult } from "./training/trainer.ts";
export { TrainingSession } from "./training/session.ts";
export type { Task } from "./training/task.ts";
export type { TrainSettings, SessionOptions, RunLimit } from "./training/settings.ts";
export type { SessionState, SessionStatus, FinishReason, Progress, EpochReport } from "./training/reports.ts";
export type { SessionSnapshot } from "./training/run-state.ts";
export type { Schedule } from "./training/schedules.ts";
export { makeBatches, split, shuffle } from "./training/batches.ts";
export { bleu, exactMatch } from "./training/metrics.ts";
export { classificationTask, type LabelledSequence } from "./pipelines/classifier/step.ts";
export { languageModelTask } from "./pipelines/language-model/step.ts";
export { regressionTask, type SeriesExample } from "./pipelines/forecaster/step.ts";
export { translationTask, type TranslationPair } from "./pipelines/translator/step.ts";
export { generationTask, type ConditionedSequence } from "./pipelines/generator/step.ts";
export { DataParallel, type ParallelOptions } from "./parallel/data-parallel.ts";
export { createTokenizer, tokenizerOf, type Tokenizer, type TokenizerKind, type TokenizerSpec } from "./text/tokenizer.ts";
export { normalizeText } from "./text/normalize.ts";
export { Vocabulary, PAD, UNK, BOS, EOS } from "./text/vocab.ts";
export { parseLabelledText, parseParallelText, parseLines, parseNumericSeries, type LabelledText, type TextPair } from "./data/formats.ts";
export { phrasePairs } from "./data/phrases.ts";
export { PRESETS, isPreset, presetItems, PHRASE_POOL, type PresetName, type PresetSettings, type PresetSources } from "./data/presets.ts";
export { saveModel, loadModel, type LoadedModel } from "./persist/model-file.ts";
export { encodeCheckpoint, decodeCheckpoint, type Checkpoint } from "./persist/checkpoint.ts";
export {
  checkCard, CARD_VERSION, type ModelCard, type CardOf, type DataSource, type ClassifierCard, type LanguageModelCard,
  type TranslatorCard, type ForecasterCard, type GeneratorCard,
} from "./persist/card.ts";
export { encodeSafetensors, decodeSafetensors } from "./persist/safetensors.ts";
export { exportOnnx, type OnnxExport, type OnnxDescription } from "./export/onnx/export.ts";
export { exportPytorch } from "./export/pytorch/export.ts";
export { PIPELINES, TASKS, pipelineFor, pipelineForTask, predictWith } from "./pipelines/registry.ts";
export { PIPELINE_KINDS, isPipelineKind, type PipelineKind } from "./pipelines/kind.ts";
export type { Pipeline, AnyPipeline, Evaluation, Metric, ExampleRow } from "./pipelines/pipeline.ts";
export { checkOptions, resolveOptions, type OptionSpec, type OptionValues, type OptionValue } from "./pipelines/options.ts";
export { PipelineRun, type StartOptions, type DataOrigin, type RunHooks } from "./pipelines/run.ts";
export { classifierPipeline, classifyTexts, encodeTexts } from "./pipelines/classifier/pipeline.ts";
export { languageModelPipeline, generateTexts } from "./pipelines/language-model/pipeline.ts";
export { translatorPipeline, translateTexts } from "./pipelines/translator/pipeline.ts";
export { forecasterPipeline, forecast } from "./pipelines/forecaster/pipeline.ts";
export { generatorPipeline, generateFor } from "./pipelines/generator/pipeline.ts";
export {
  SPECS, type PipelineSpec, type Predictions, type PredictRequest, type PredictResult,
  type Classification, type ClassifyRequest, type GenerateRequest, type GeneratedText, type TranslateRequest, type TranslatedText,
  type ForecastRequest, type Forecast, type GenerateForRequest,
} from "./pipelines/specs.ts";
export { TrainingService, type TrainingJob, type TrainingEvent, type EventListener, type RunInfo, type ModelInfo, type ServiceOptions, type PresetLoader } from "./worker/service.ts";
export { Random } from "./util/random.ts";
