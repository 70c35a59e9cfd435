/**
 * The shared suite's Go cases once more, compiled by Go's compiler and linker in WebAssembly
 * (runtimeOptions.go.compiler "wasm"; assets from scripts/build-go-wasm.mjs). Skipped with the
 * reason when the assets are not built.
 */
import { conformanceSuite } from "../../../test/conformance/suite.js";

await conformanceSuite("go", {
  title: ", compiled in WebAssembly",
  options: { concurrency: 2, runtimeOptions: { go: { compiler: "wasm" } } },
  timeout: 120_000,
  testTimeout: 180_000,
});
