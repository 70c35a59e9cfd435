/**
 * QuickJS's host promise rejection tracker, which quickjs-emscripten 0.32 does not expose
 * (`promiseRejectionHandler` is a TODO in its types). Without it an unhandled rejection is
 * silent; Node reports it and exits 1.
 *
 * QuickJS calls `rt->host_promise_rejection_tracker` through a function pointer, i.e. a
 * `call_indirect` into the module's function table. The table is not exported, so the module is
 * compiled with one more export naming it (`exportFunctionTable`); a one-function wasm module
 * re-exports a JavaScript callback with the tracker's wasm signature, it is appended to the table,
 * and its index is written into the JSRuntime struct.
 */
import type { QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import { leb, readLeb, rewriteSection } from "../../src/wasm/leb128.js";

const TABLE_EXPORT = "__wasmbox_table";

/** Returns a copy of the wasm binary that also exports its (only) function table. */
export function exportFunctionTable(wasm: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = rewriteSection(wasm, 7, (m, start, end) => {
    const [count, entries] = readLeb(m, start);
    const name = [...new TextEncoder().encode(TABLE_EXPORT)];
    // An export is (name, kind 1 = table, index 0).
    return [...leb(count + 1), ...m.subarray(entries, end), ...leb(name.length), ...name, 1, 0];
  });
  if (!out) throw new Error("wasmbox: the QuickJS wasm module has no export section; reinstall @jitl/quickjs-wasmfile-release-sync");
  return out;
}

export function functionTable(exports: WebAssembly.Exports): WebAssembly.Table | undefined {
  const t = exports[TABLE_EXPORT];
  return t instanceof WebAssembly.Table ? t : undefined;
}

/**
 * `void tracker(JSContext *ctx, JSValueConst promise, JSValueConst reason, BOOL is_handled,
 * void *opaque)`; on wasm32 QuickJS NaN-boxes JSValue into a 64-bit integer:
 * (param i32 i64 i64 i32 i32). The module imports "h"."t" and exports it as "t".
 */
// prettier-ignore
const TRACKER_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x09, 0x01, 0x60, 0x05, 0x7f, 0x7e, 0x7e, 0x7f, 0x7f, 0x00, // type 0
  0x02, 0x07, 0x01, 0x01, 0x68, 0x01, 0x74, 0x00, 0x00, // import "h" "t" func type 0
  0x07, 0x05, 0x01, 0x01, 0x74, 0x00, 0x00, // export "t" func 0
]);

/**
 * Offsets in QuickJS 2025-09-13's JSRuntime (wasm32): interrupt_handler at 152, then
 * interrupt_opaque, host_promise_rejection_tracker, its opaque, and job_list (a list_head).
 * Checked against the live struct before anything is written (see `layoutMatches`).
 */
const RT_INTERRUPT_HANDLER = 152;
const RT_TRACKER = 160;
const RT_TRACKER_OPAQUE = 164;
const RT_JOB_LIST = 168;

/**
 * One event as QuickJS reports it: a promise rejected with no handler (`handled` false), or a
 * handler added to such a promise (`handled` true). `key` identifies the promise while it lives;
 * `take` makes handles on the promise and the reason, which the caller then owns.
 */
export type RejectionEvent = (key: bigint, handled: boolean, take: () => { promise: QuickJSHandle; reason: QuickJSHandle }) => void;

interface ModuleInternals {
  ffi: {
    QTS_DupValuePointer(ctx: number, val: number): number;
    QTS_FreeValuePointer(ctx: number, val: number): void;
  };
  module: { _malloc(size: number): number; _free(ptr: number): void };
}

/**
 * The tracker of one QuickJS module instance: a table slot shared by its runtimes, each runtime
 * routed by the opaque value written next to the function pointer.
 */
export class RejectionTracker {
  private readonly listeners = new Map<number, { rt: QuickJSRuntime; on: RejectionEvent }>();
  private nextId = 1;
  private slot: number | undefined;

  constructor(
    private readonly module: QuickJSWASMModule,
    private readonly memory: WebAssembly.Memory,
    private readonly table: WebAssembly.Table,
    private readonly lifetime: typeof import("quickjs-emscripten-core").Lifetime,
  ) {}

  /**
   * Routes `rt`'s rejection events to `on`; call after `rt.setInterruptHandler` (the layout
   * check reads the handler's slot) and before any context runs code. Returns false, writing
   * nothing, if the struct does not look as expected (another QuickJS version).
   */
  attach(rt: QuickJSRuntime, on: RejectionEvent): boolean {
    const rtPtr = (rt as unknown as { rt: { value: number } }).rt.value;
    if (!this.layoutMatches(rtPtr)) return false;
    this.slot ??= this.table.grow(1, this.trackerFunction());
    const id = this.nextId++;
    this.listeners.set(id, { rt, on });
    const u32 = new Uint32Array(this.memory.buffer);
    u32[(rtPtr + RT_TRACKER_OPAQUE) >> 2] = id;
    u32[(rtPtr + RT_TRACKER) >> 2] = this.slot;
    return true;
  }

  /** Stops routing to a runtime about to be disposed. */
  detach(rt: QuickJSRuntime): void {
    for (const [id, l] of this.listeners) if (l.rt === rt) this.listeners.delete(id);
  }

  private layoutMatches(rtPtr: number): boolean {
    const u32 = new Uint32Array(this.memory.buffer);
    const at = (off: number) => u32[(rtPtr + off) >> 2]!;
    return (
      at(RT_INTERRUPT_HANDLER) !== 0 &&
      at(RT_TRACKER) === 0 &&
      at(RT_TRACKER_OPAQUE) === 0 &&
      at(RT_JOB_LIST) === rtPtr + RT_JOB_LIST &&
      at(RT_JOB_LIST + 4) === rtPtr + RT_JOB_LIST
    );
  }

  private trackerFunction(): WebAssembly.ExportValue {
    const { ffi, module } = this.module as unknown as ModuleInternals;
    const scratch = module._malloc(8);
    // A handle owns a heap copy of the value (QTS_DupValuePointer), freed when it is disposed.
    const handle = (ctx: number, value: bigint, owner: QuickJSRuntime): QuickJSHandle => {
      new DataView(this.memory.buffer).setBigInt64(scratch, value, true);
      const ptr = ffi.QTS_DupValuePointer(ctx, scratch);
      return new this.lifetime(ptr, undefined, (p: number) => ffi.QTS_FreeValuePointer(ctx, p), owner) as unknown as QuickJSHandle;
    };
    const track = (ctx: number, promise: bigint, reason: bigint, handled: number, opaque: number): void => {
      const l = this.listeners.get(opaque);
      if (!l) return;
      l.on(promise, handled !== 0, () => ({ promise: handle(ctx, promise, l.rt), reason: handle(ctx, reason, l.rt) }));
    };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(TRACKER_MODULE), { h: { t: track } });
    return instance.exports.t!;
  }
}
