/**
 * ES module resolution and loading for the guest, over the job's memfs volume. Built-in modules
 * (`node:fs`...) and CommonJS files are exposed to `import` as small generated facades over the
 * guest's own `require`, so both module systems share one instance of every module.
 */
import type { JSModuleLoadResult, JSModuleNormalizeResult, QuickJSContext } from "quickjs-emscripten-core";
import { BUILTIN_NAMES, type Flavor } from "./guest/sources.js";

/** What the loader reads of a job's files: the host API (./host-api.ts) is one, structurally. */
export interface ModuleSources {
  readonly vol: { statSync(p: string): { isFile(): boolean }; readFileSync(p: string, enc: "utf8"): unknown };
  readSource(path: string): string | undefined;
  prepareSource(path: string, code: string, module?: boolean): string;
}

const EXTENSIONS = ["", ".js", ".mjs", ".cjs", ".json", ".ts", ".tsx", ".mts", ".cts", "/index.js", "/index.mjs", "/index.ts"];

export function dirname(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

export function resolvePath(from: string, rel: string): string {
  const parts = (rel.startsWith("/") ? rel : `${from}/${rel}`).split("/");
  const out: string[] = [];
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

function isFile(api: ModuleSources, p: string): boolean {
  try {
    return api.vol.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** File resolution shared with the guest's `require` (which asks the host through `fs`). */
export function resolveFile(api: ModuleSources, base: string): string | undefined {
  for (const ext of EXTENSIONS) if (isFile(api, base + ext)) return base + ext;
  const pkg = `${base}/package.json`;
  if (isFile(api, pkg)) {
    try {
      const main = (JSON.parse(api.vol.readFileSync(pkg, "utf8") as string) as { main?: string; module?: string }).main;
      if (main) return resolveFile(api, resolvePath(base, main));
    } catch {
      /* a broken package.json resolves like a missing one */
    }
  }
  return undefined;
}

function resolveBare(api: ModuleSources, fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const hit = resolveFile(api, resolvePath(dir, `node_modules/${name}`));
    if (hit) return hit;
    if (dir === "/") return undefined;
  }
}

export function normalizeModuleName(api: ModuleSources, base: string, requested: string): JSModuleNormalizeResult {
  const bare = requested.startsWith("node:") ? requested.slice(5) : requested;
  if (BUILTIN_NAMES.has(bare) || requested.startsWith("node:") || bare === "bun") return `node:${bare}`;
  const fromDir = base.startsWith("/") ? dirname(base) : "/";
  const target = requested.startsWith("file://") ? requested.slice(7) : requested;
  const hit =
    target.startsWith("./") || target.startsWith("../") || target.startsWith("/")
      ? resolveFile(api, resolvePath(fromDir, target))
      : resolveBare(api, fromDir, target);
  if (!hit) {
    return { error: Object.assign(new Error(`Cannot find module '${resolvePath(fromDir, target)}' imported from ${base}`), { name: "Error" }) };
  }
  return hit;
}

const ESM_SYNTAX = /(^|[\n;])\s*(import\s*[\w{*'"]|export\s+(default|const|let|var|function|class|async|\{|\*)|import\.meta)/;

/** Whether a file is an ES module, by Node's rules: extension, package.json "type", then syntax. */
export function isModuleFile(api: ModuleSources, path: string, source: string, flavor: Flavor): boolean {
  if (/\.(mjs|mts)$/.test(path)) return true;
  if (/\.(cjs|cts|json)$/.test(path)) return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const pkg = `${dir === "/" ? "" : dir}/package.json`;
    if (isFile(api, pkg)) {
      try {
        const type = (JSON.parse(api.vol.readFileSync(pkg, "utf8") as string) as { type?: string }).type;
        if (type === "module") return true;
        if (type === "commonjs" && flavor === "node") return false;
      } catch {
        /* ignore */
      }
      break;
    }
    if (dir === "/") break;
  }
  // Bun runs every file as a module unless it is plainly CommonJS.
  if (flavor === "bun") return ESM_SYNTAX.test(source) || !/\b(module\.exports|exports\.[\w$]+\s*=)/.test(source);
  return ESM_SYNTAX.test(source);
}

function facade(ctx: QuickJSContext, expr: string): JSModuleLoadResult {
  const keys = ctx.evalCode(`Object.keys(Object(${expr})).filter((k) => /^[A-Za-z_$][\\w$]*$/.test(k) && k !== "default")`);
  if (keys.error) {
    const e = ctx.dump(keys.error) as { message?: string; name?: string } | string;
    keys.error.dispose();
    const message = typeof e === "object" && e ? `${e.name ?? "Error"}: ${e.message}` : String(e);
    return { error: new Error(message) };
  }
  const names = ctx.dump(keys.value) as string[];
  keys.value.dispose();
  const lines = [`const m = ${expr};`, "export default m;"];
  for (const n of names) lines.push(`export const ${n} = m.${n};`);
  return lines.join("\n");
}

export function loadModuleSource(api: ModuleSources, name: string, flavor: Flavor, ctx: QuickJSContext): JSModuleLoadResult {
  if (name.startsWith("node:")) return facade(ctx, `__wasmbox_require(${JSON.stringify(name)})`);
  const source = api.readSource(name);
  if (source === undefined) return { error: new Error(`Cannot find module '${name}'`) };
  if (name.endsWith(".json")) return `export default ${source};`;
  if (!isModuleFile(api, name, source, flavor)) return facade(ctx, `__wasmbox_require(${JSON.stringify(name)})`);
  return api.prepareSource(name, source, true);
}
