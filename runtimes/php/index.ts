import type { Runtime } from "../../src/runtime.js";
import { RuntimeUnavailableError } from "../../src/errors.js";

// Placeholder until the adapter lands: it reports itself unavailable rather than pretending to run.
function unavailable(name: Runtime["name"], language: string, entryFile: string): Runtime {
  return {
    name,
    language,
    entryFile,
    async check() {
      throw new RuntimeUnavailableError(name, "this adapter is not implemented yet");
    },
    async load() {
      throw new RuntimeUnavailableError(name, "this adapter is not implemented yet");
    },
    async run() {
      throw new RuntimeUnavailableError(name, "this adapter is not implemented yet");
    },
  };
}
export const php = unavailable("php", "PHP", "main.php");
