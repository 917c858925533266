// This library's version, as package.json states it (tests/unit/package.test.ts checks they agree), for what it writes into exported files.
export const GATED_VERSION = "0.1.0";
