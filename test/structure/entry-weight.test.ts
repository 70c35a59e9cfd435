/**
 * `import "wasmbox"` is the library: it must not load the HTTP stack (hono, @hono/node-server,
 * pino). Checked in a fresh Node process against the built package, as a user would load it:
 * a module.register() resolve hook writes down every module the import resolves.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(path.join(os.tmpdir(), "wasmbox-entry-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hooks = path.join(dir, "hooks.mjs");
writeFileSync(
  hooks,
  `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.WASMBOX_RESOLVED_LOG, r.url + "\\n");
  return r;
}
`,
);

function resolvedBy(specifier: string): string[] {
  const log = path.join(dir, `${specifier.replace(/\W/g, "_")}.log`);
  writeFileSync(log, "");
  execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { register } from "node:module";
register(${JSON.stringify(pathToFileURL(hooks).href)});
await import(${JSON.stringify(specifier)});`,
    ],
    { cwd: process.cwd(), env: { ...process.env, WASMBOX_RESOLVED_LOG: log }, stdio: ["ignore", "ignore", "inherit"] },
  );
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

const HTTP_STACK = /\/node_modules\/(hono|@hono\/node-server|pino)\//;
// Fleet mode's queue client: loaded only by code paths used with --redis.
const QUEUE_STACK = /\/node_modules\/(bullmq|ioredis)\/|\/dist\/src\/fleet\/(bullmq|worker)\.js$/;

describe("entry points", () => {
  it("`wasmbox` loads the library and nothing of HTTP", () => {
    const urls = resolvedBy("wasmbox");
    expect(urls.some((u) => u.endsWith("/dist/src/index.js"))).toBe(true);
    expect(urls.filter((u) => HTTP_STACK.test(u) || /\/dist\/src\/(server|cli)\//.test(u))).toEqual([]);
    expect(urls.filter((u) => QUEUE_STACK.test(u))).toEqual([]);
  });

  it("`wasmbox/server` is where the HTTP stack is", () => {
    const urls = resolvedBy("wasmbox/server");
    expect(urls.some((u) => /\/node_modules\/hono\//.test(u))).toBe(true);
    expect(urls.some((u) => /\/node_modules\/pino\//.test(u))).toBe(true);
    // A server without --redis never loads BullMQ.
    expect(urls.filter((u) => QUEUE_STACK.test(u))).toEqual([]);
  });
});
