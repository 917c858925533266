// The three recurrent cells as the playground names and colours them, and
// a page's cell kept in its link (#/start?cell=gru), so that every page
// lists, draws and links them the same way.

export const CELLS = ["rnn", "lstm", "gru"] as const;
export type Cell = (typeof CELLS)[number];

export const CELL_NAMES: Record<Cell, string> = { rnn: "RNN", lstm: "LSTM", gru: "GRU" };
export const CELL_COLORS: Record<Cell, string> = { rnn: "var(--series-2)", lstm: "var(--series-1)", gru: "var(--series-3)" };

/** The cell a link names, or the page's default. */
export const cellOfLink = (params: Record<string, string>, fallback: Cell): Cell => CELLS.find((c) => c === params.cell) ?? fallback;

/** The link's settings for a cell: none for the page's default. */
export const linkOfCell = (cell: Cell, fallback: Cell): Record<string, string> => (cell === fallback ? {} : { cell });
