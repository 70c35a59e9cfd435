/**
 * Caps a module's own linear memory by rewriting the maximum in its memory section, so that
 * `memory.grow` past the cap fails inside the guest (malloc returns NULL, the runtime reports
 * out-of-memory) instead of the host process growing. Node's worker `resourceLimits` do not
 * cover wasm memory, and `--wasm-max-mem-pages` is per process.
 */
import { leb, readLeb, rewriteSection } from "./leb128.js";

const PAGE = 65536;

export class MemoryLimitError extends Error {}

/**
 * Returns a copy of `module` whose defined memories have `maximum <= maxBytes`.
 * Modules without a memory section (memory imported) are returned unchanged.
 */
export function limitModuleMemory(module: Uint8Array<ArrayBuffer>, maxBytes: number): Uint8Array<ArrayBuffer> {
  const maxPages = Math.max(1, Math.floor(maxBytes / PAGE));
  if (module[0] !== 0 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d)
    throw new Error("not a WebAssembly module");
  return (
    rewriteSection(module, 5, (m, start) => {
      let p = start;
      const [count, afterCount] = readLeb(m, p);
      p = afterCount;
      const body: number[] = [...leb(count)];
      for (let i = 0; i < count; i++) {
        const flags = m[p++]!;
        if (flags & 0x04) throw new Error("memory64 modules are not supported");
        const [min, afterMin] = readLeb(m, p);
        p = afterMin;
        let max = Infinity;
        if (flags & 0x01) {
          const [mx, afterMax] = readLeb(m, p);
          max = mx;
          p = afterMax;
        }
        if (min > maxPages)
          throw new MemoryLimitError(
            `the module needs ${Math.ceil((min * PAGE) / 2 ** 20)} MiB of memory at start, over the ${Math.floor(maxBytes / 2 ** 20)} MiB cap`,
          );
        body.push(flags | 0x01, ...leb(min), ...leb(Math.min(max, maxPages)));
      }
      return body;
    }) ?? module
  );
}
