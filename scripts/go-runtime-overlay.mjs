#!/usr/bin/env node
/**
 * A `go build -overlay` for GOOS=wasip1 that skips clearing memory the Go runtime already
 * knows is zero. At start-up, sysReserveAligned trims the unaligned ends of a fresh heap
 * reservation and memFree clears them: megabytes of untouched wasm memory, most of a small
 * program's start-up (measured: hello world p50 82-107 ms → 36-38 ms on a loaded machine).
 * Memory from sysReserve is always zero (fresh from memory.grow, or from the free list, which
 * memFree keeps cleared), and nothing writes it between the reservation and the trim.
 *
 * Second, sbrk starts the heap at the module's initial memory size, not at the memory's current
 * size, and grows the memory only past what exists: the host may then run the program on a
 * memory reused from the previous execution (zeroed), which spares the page faults and GC of a
 * fresh one (runtimes/compiled/memory-reuse.ts; on this project's VMs a fresh page costs 20-60 µs).
 * On a fresh memory both are the same, so the module behaves as upstream anywhere.
 *
 * Third, the texts of errno values are Linux's (`open x: no such file or directory`, as a native
 * Go program prints), not the capitalised ones of the wasip1 table, taken from this Go's own
 * syscall/zerrors_linux_amd64.go. Without that file the wasip1 texts stay.
 *
 * Shared by the Go adapter and scripts/setup-toolchains.sh (which pre-builds the standard
 * library with the same overlay). Returns undefined when this Go's sources do not have the
 * expected shape: the build then runs unpatched.
 *
 *   node scripts/go-runtime-overlay.mjs <GOROOT> <dir>   prints the overlay JSON path, or nothing
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const MALLOC_OLD = `		pAligned := alignUp(p, align)
		sysFreeOS(unsafe.Pointer(p), pAligned-p)
		end := pAligned + size
		endLen := (p + size + align) - end
		if endLen > 0 {
			sysFreeOS(unsafe.Pointer(end), endLen)
		}`;
const MALLOC_NEW = MALLOC_OLD.replaceAll("sysFreeOS(", "sysFreeOSZeroed(");
const SBRK_OLD = `func memFree(ap unsafe.Pointer, n uintptr) {
	n = memRound(n)
	memclrNoHeapPointers(ap, n)`;
const SBRK_NEW = `func memFree(ap unsafe.Pointer, n uintptr) {
	memclrNoHeapPointers(ap, memRound(n))
	memFreeZeroed(ap, n)
}

// memFreeZeroed is memFree for memory that is all zeros already (wasmbox overlay).
func memFreeZeroed(ap unsafe.Pointer, n uintptr) {
	n = memRound(n)`;
const SBRK_APPEND = `
// sysFreeOSZeroed is sysFreeOS for a range still all zeros, fresh from sysReserve (wasmbox overlay).
func sysFreeOSZeroed(v unsafe.Pointer, n uintptr) {
	lock(&memlock)
	if uintptr(v)+n == bloc {
		bloc -= n
	} else {
		memFreeZeroed(v, n)
		memCheck()
	}
	unlock(&memlock)
}
`;

const WASM_SBRK_OLD = `func sbrk(n uintptr) unsafe.Pointer {
	grow := divRoundUp(n, physPageSize)
	size := growMemory(int32(grow))
	if size < 0 {
		return nil
	}
	resetMemoryDataView()
	return unsafe.Pointer(uintptr(size) * physPageSize)
}`;
const WASM_SBRK_NEW = `// sbrkBreak is the end of the memory sbrk has handed out (wasmbox overlay).
var sbrkBreak uintptr

func sbrk(n uintptr) unsafe.Pointer {
	if sbrkBreak == 0 {
		sbrkBreak = initialMemoryEnd()
	}
	n = divRoundUp(n, physPageSize) * physPageSize
	p := sbrkBreak
	if have := uintptr(growMemory(0)) * physPageSize; p+n > have {
		if growMemory(int32((p+n-have)/physPageSize)) < 0 {
			return nil
		}
		resetMemoryDataView()
	}
	sbrkBreak = p + n
	return unsafe.Pointer(p)
}

// initialMemoryEnd is the module's initial memory size as cmd/link (writeMemorySec) sets it:
// the end of the data section plus 16 MB, in whole pages. Where memory holds less, or the
// formula would reach into static data, the current size is used, as upstream does.
func initialMemoryEnd() uintptr {
	have := uintptr(growMemory(0)) * physPageSize
	end := (firstmoduledata.edata + 16<<20) / physPageSize * physPageSize
	if end < memRound(firstmoduledata.end) || end > have {
		return have
	}
	return end
}`;

/** Writes the overlay under `dir` (content-addressed, safe to share) and returns its JSON path. */
export async function writeRuntimeOverlay(goroot, dir) {
  const mallocPath = path.join(goroot, "src", "runtime", "malloc.go");
  const sbrkPath = path.join(goroot, "src", "runtime", "mem_sbrk.go");
  const wasmPath = path.join(goroot, "src", "runtime", "mem_wasm.go");
  let malloc, sbrk, wasm;
  try {
    [malloc, sbrk, wasm] = await Promise.all([mallocPath, sbrkPath, wasmPath].map((p) => readFile(p, "utf8")));
  } catch {
    return undefined;
  }
  const count = (s, sub) => s.split(sub).length - 1;
  if (count(malloc, MALLOC_OLD) !== 1 || count(sbrk, SBRK_OLD) !== 1 || !sbrk.includes("func sysFreeOS(")) return undefined;
  if (count(wasm, WASM_SBRK_OLD) !== 1) return undefined;
  const patchedMalloc = malloc.replace(MALLOC_OLD, MALLOC_NEW);
  const patchedSbrk = sbrk.replace(SBRK_OLD, SBRK_NEW) + SBRK_APPEND;
  const patchedWasm = wasm.replace(WASM_SBRK_OLD, WASM_SBRK_NEW);
  const tablesPath = path.join(goroot, "src", "syscall", "tables_wasip1.go");
  const patchedTables = await linuxErrnoTexts(tablesPath, path.join(goroot, "src", "syscall", "zerrors_linux_amd64.go"));
  const hash = createHash("sha256").update(goroot).update(patchedMalloc).update(patchedSbrk).update(patchedWasm).update(patchedTables ?? "").digest("hex").slice(0, 16);
  const out = path.join(dir, hash);
  const json = path.join(out, "overlay.json");
  try {
    await readFile(json);
    return json;
  } catch {
    /* not written yet */
  }
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "malloc.go"), patchedMalloc);
  await writeFile(path.join(out, "mem_sbrk.go"), patchedSbrk);
  await writeFile(path.join(out, "mem_wasm.go"), patchedWasm);
  const tmp = `${json}.${process.pid}.tmp`;
  const replace = { [mallocPath]: path.join(out, "malloc.go"), [sbrkPath]: path.join(out, "mem_sbrk.go"), [wasmPath]: path.join(out, "mem_wasm.go") };
  if (patchedTables) {
    await writeFile(path.join(out, "tables_wasip1.go"), patchedTables);
    replace[tablesPath] = path.join(out, "tables_wasip1.go");
  }
  await writeFile(tmp, JSON.stringify({ Replace: replace }));
  await rename(tmp, json);
  return json;
}

/**
 * tables_wasip1.go with each errno's text replaced by Linux's for the same name, or undefined
 * when either file is missing or has another shape.
 */
async function linuxErrnoTexts(tablesPath, linuxPath) {
  let tables, linux;
  try {
    [tables, linux] = await Promise.all([readFile(tablesPath, "utf8"), readFile(linuxPath, "utf8")]);
  } catch {
    return undefined;
  }
  const numbers = new Map();
  for (const m of linux.matchAll(/^\t(E[A-Z0-9]+)\s+= Errno\(0x([0-9a-f]+)\)$/gm)) numbers.set(m[1], parseInt(m[2], 16));
  const table = /^var errors = \[\.\.\.\]string\{\n([\s\S]*?)\n\}/m.exec(linux);
  if (!table || numbers.size === 0) return undefined;
  const texts = new Map();
  for (const m of table[1].matchAll(/^\t(\d+):\s+"([^"]*)",$/gm)) texts.set(Number(m[1]), m[2]);
  const start = tables.indexOf("var errorstr = [...]string{\n");
  const end = start < 0 ? -1 : tables.indexOf("\n}\n", start);
  if (end < 0) return undefined;
  let replaced = 0;
  const body = tables.slice(start, end).replace(/^(\t(E[A-Z0-9]+):\s+)"[^"]*",$/gm, (line, head, name) => {
    const text = texts.get(numbers.get(name));
    if (text === undefined) return line;
    replaced++;
    return `${head}"${text}",`;
  });
  return replaced > 0 ? tables.slice(0, start) + body + tables.slice(end) : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [goroot, dir] = process.argv.slice(2);
  if (!goroot || !dir) {
    console.error("usage: go-runtime-overlay.mjs <GOROOT> <dir>");
    process.exit(2);
  }
  const json = await writeRuntimeOverlay(goroot, dir);
  if (json) console.log(json);
}
