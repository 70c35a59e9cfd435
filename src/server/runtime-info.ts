/** What GET /v1/runtimes reports: each runtime, its version, and whether it can run here. */
import { RUNTIME_NAMES, type RuntimeName } from "../request.js";
import type { RuntimeInfo } from "../runtime.js";
import { loadRuntime } from "../registry.js";
import type { ServerExecutor } from "./types.js";

const versions = new Map<string, Promise<string>>();

async function describe(executor: ServerExecutor, name: RuntimeName): Promise<RuntimeInfo> {
  const ctx = { options: executor.options.runtimeOptions(name), toolchains: executor.options.toolchains };
  let available = true;
  let reason: string | undefined;
  try {
    await executor.runtime(name);
  } catch (e) {
    available = false;
    reason = (e as Error).message;
  }
  let language: string = name;
  let version = "unknown";
  let about: Pick<RuntimeInfo, "engine" | "emulates"> = {};
  let compiler: string | undefined;
  try {
    const rt = await loadRuntime(name);
    language = rt.language;
    about = { ...(rt.engine !== undefined && { engine: rt.engine }), ...(rt.emulates !== undefined && { emulates: rt.emulates }) };
    if (available && rt.version) {
      // A version may mean spawning a compiler; ask once per runtime and toolchain.
      const key = `${name}\0${JSON.stringify(ctx.toolchains)}`;
      let v = versions.get(key);
      if (!v) {
        v = rt.version(ctx);
        versions.set(key, v);
        v.catch(() => versions.delete(key));
      }
      version = await v;
    }
    if (rt.compiler) compiler = await rt.compiler(ctx).catch(() => undefined);
  } catch {
    // The version is informative only; availability above is what matters.
  }
  return { name, language, version, ...about, available, ...(reason === undefined ? {} : { reason }), ...(compiler === undefined ? {} : { compiler }) };
}

export function listRuntimes(executor: ServerExecutor): Promise<RuntimeInfo[]> {
  return Promise.all(RUNTIME_NAMES.map((name) => describe(executor, name)));
}
