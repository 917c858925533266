// This library's version, as package.json states it (tests/unit/package.test.ts checks they agree): what `gated --version` prints and exported files name as their producer.
export const GATED_VERSION = "0.1.0";
