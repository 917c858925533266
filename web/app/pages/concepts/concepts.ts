// Every concept of the lecture notes, in their words (Spanish) and in
// English, with what to look at and a link that opens the playground set to
// show it: a page and its settings, as a teacher would hand it out.

import type { Language } from "../../lib/i18n/language.ts";
import type { Page } from "../../lib/router.svelte.ts";

export interface Concept {
  term: Record<Language, string>;
  /** What to do and see there. */
  see: Record<Language, string>;
  page: Page;
  params: Record<string, string>;
}

export const CONCEPTS: readonly Concept[] = [
  {
    term: { es: "Despliegue de una red recurrente en el tiempo", en: "A recurrent network unrolled in time" },
    see: { es: "La misma celda en cada paso, con el estado que pasa de uno al siguiente.", en: "The same cell at every step, with the state passed from one to the next." },
    page: "start", params: {},
  },
  {
    term: { es: "LSTM: puertas de entrada, olvido y salida; estado de la celda", en: "LSTM: input, forget and output gates; the cell state" },
    see: { es: "Paso a paso, cada ecuación con los valores de cada puerta.", en: "Step by step, each equation with each gate's values." },
    page: "start", params: { cell: "lstm" },
  },
  {
    term: { es: "GRU: puertas de reinicio y actualización; estado candidato", en: "GRU: reset and update gates; the candidate state" },
    see: { es: "Paso a paso, cada ecuación con los valores de cada puerta.", en: "Step by step, each equation with each gate's values." },
    page: "start", params: { cell: "gru" },
  },
  {
    term: { es: "Retropropagación a través del tiempo (BPTT)", en: "Backpropagation through time (BPTT)" },
    see: { es: "Tras el último paso, «Siguiente paso» lleva el error hacia atrás, paso a paso.", en: "After the last step, “Next step” carries the error back, step by step." },
    page: "start", params: { cell: "rnn" },
  },
  {
    term: { es: "Tipos de RNN: uno a uno, uno a muchos, muchos a uno, muchos a muchos, secuencia a secuencia", en: "Kinds of RNN: one to one, one to many, many to one, many to many, sequence to sequence" },
    see: { es: "Las cinco formas, cada una aprendiendo una tarea pequeña.", en: "The five shapes, each learning a small task." },
    page: "shapes", params: {},
  },
  {
    term: { es: "Desvanecimiento del gradiente", en: "The vanishing gradient" },
    see: { es: "A 60 pasos, el gradiente de la RNN no llega al principio y no aprende; el de la LSTM sí.", en: "Over 60 steps the RNN's gradient does not reach the start and it does not learn; the LSTM's does." },
    page: "gradients", params: { length: "60" },
  },
  {
    term: { es: "Explosión del gradiente", en: "The exploding gradient" },
    see: { es: "W_hh multiplicado por 3 con ReLU: la norma del gradiente crece sin límite.", en: "W_hh times 3 with ReLU: the gradient's norm grows without bound." },
    page: "gradients", params: { "whh-scale": "3", activation: "relu" },
  },
  {
    term: { es: "Recorte del gradiente (por norma)", en: "Gradient clipping (by norm)" },
    see: { es: "La misma explosión, con el gradiente recortado a norma 1 antes de cada paso.", en: "The same explosion, with the gradient clipped to norm 1 before each update." },
    page: "gradients", params: { "whh-scale": "3", activation: "relu", clip: "norm" },
  },
  {
    term: { es: "BPTT truncado", en: "Truncated BPTT" },
    see: { es: "El gradiente solo recorre los 10 últimos pasos: los anteriores no reciben nada.", en: "The gradient goes back through the last 10 steps only: the earlier ones get none." },
    page: "gradients", params: { tbptt: "10" },
  },
  {
    term: { es: "El sesgo de la puerta de olvido", en: "The forget gate's bias" },
    see: { es: "Con sesgo 0 (el de PyTorch) la LSTM también pierde el gradiente.", en: "With bias 0 (PyTorch's) the LSTM loses its gradient too." },
    page: "gradients", params: { "forget-bias": "0" },
  },
  {
    term: { es: "Modelo de lenguaje a nivel de carácter; temperatura", en: "Character-level language model; temperature" },
    see: { es: "Aprende nombres de dinosaurios letra a letra e inventa otros; la temperatura cambia lo que elige.", en: "Learns dinosaur names letter by letter and invents new ones; the temperature changes what it picks." },
    page: "names", params: {},
  },
  {
    term: { es: "Análisis de sentimientos (muchos a uno)", en: "Sentiment analysis (many to one)" },
    see: { es: "Lee reseñas palabra a palabra y da su veredicto, también tras cada palabra.", en: "Reads reviews word by word and gives its verdict, after each word too." },
    page: "sentiment", params: {},
  },
  {
    term: { es: "Dropout recurrente", en: "Recurrent dropout" },
    see: { es: "Una máscara por secuencia sobre el estado, la misma en cada paso.", en: "One mask per sequence on the state, the same at every step." },
    page: "sentiment", params: { "recurrent-dropout": "0.4" },
  },
  {
    term: { es: "RNN bidireccionales; cómo se unen las dos direcciones", en: "Bidirectional RNNs; how the two directions merge" },
    see: { es: "Las dos direcciones sumadas en vez de concatenadas.", en: "The two directions summed instead of concatenated." },
    page: "sentiment", params: { bidirectional: "true", merge: "sum" },
  },
  {
    term: { es: "Traducción: secuencia a secuencia con atención", en: "Translation: sequence to sequence with attention" },
    see: { es: "Codificador y decodificador, y la atención de cada palabra traducida sobre la frase.", en: "Encoder and decoder, and each translated word's attention over the phrase." },
    page: "translation", params: {},
  },
  {
    term: { es: "Series temporales", en: "Time series" },
    see: { es: "Predice el CO₂ mensual y lo compara con la predicción ingenua estacional.", en: "Forecasts monthly CO₂ and compares it with the seasonal naive forecast." },
    page: "series", params: {},
  },
  {
    term: { es: "Qué guarda y qué olvida una red entrenada", en: "What a trained network keeps and forgets" },
    see: { es: "Cada puerta de un modelo entrenado, sobre tu propio texto.", en: "Each gate of a trained model, over your own text." },
    page: "cells", params: {},
  },
];
