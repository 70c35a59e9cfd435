/**
 * The Go tests of go.test.ts once more, with every executor compiling through Go's compiler and
 * linker in WebAssembly (WASMBOX_GO_COMPILER=wasm, the default of runtimeOptions.go.compiler).
 * Skipped with the reason when the assets of scripts/build-go-wasm.mjs are not built.
 */
process.env.WASMBOX_GO_COMPILER = "wasm";
await import("./go.test.js");
