#!/usr/bin/env node
// The `gated` command; the CLI itself is compiled into dist/ by `npm run build`.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
