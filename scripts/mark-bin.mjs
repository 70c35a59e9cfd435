#!/usr/bin/env node
/**
 * Marks the files package.json's "bin" names executable after `tsc`, which writes them 0644.
 * `npx wasmbox` in this project runs the bin directly (`sh: wasmbox: Permission denied`
 * otherwise); npm only sets the mode when it links an installed package's bin.
 */
import { chmod, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
const bins = typeof pkg.bin === "string" ? [pkg.bin] : Object.values(pkg.bin ?? {});
for (const rel of bins) {
  const file = path.join(root, rel);
  await chmod(file, (await stat(file)).mode | 0o111);
}
