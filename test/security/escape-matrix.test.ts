/** The escape matrix (escape-suite.ts) on one-shot executions. */
import { escapeMatrix } from "./escape-suite.js";

await escapeMatrix({ title: "", run: (executor, request) => executor.execute(request) });
