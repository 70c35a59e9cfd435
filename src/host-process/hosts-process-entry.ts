/**
 * Entry of a hosts process: the worker-thread hosts of one executor, in a child process of their
 * own, so that what their threads allocate (glibc keeps the arenas of ended threads) is given back
 * when the executor recycles or ends the process, and the embedding process stays light.
 * Everything here is a relay: hosts are the same WorkerHosts an executor runs in its own process.
 */
import { toWire } from "../errors.js";
import { loadRuntime } from "../registry.js";
import { StdinWriter } from "../sandbox/live-stdin.js";
import { OutputCursor, createOutputBuffer, resetOutputBuffer, setDrained } from "../sandbox/output.js";
import type { SandboxHost } from "../executor/host.js";
import type { FromHostsProcess, ToHostsProcess } from "./hosts-process-protocol.js";
import { createWorkerHost } from "../executor/worker-host.js";
import { WorkerHosts } from "../executor/worker-hosts.js";

const NONE = new Uint8Array(0);
const crashed = (id: number, reason: string): FromHostsProcess => ({
  t: "end",
  id,
  outcome: { kind: "crashed", reason, outOfMemory: false },
  alive: false,
  rss: process.memoryUsage.rss(),
  stdout: NONE,
  stderr: NONE,
});
const send = (m: FromHostsProcess) => {
  if (process.connected) process.send!(m);
};

interface Entry {
  host: Promise<SandboxHost>;
  output?: { sab: SharedArrayBuffer; cap: number };
  stdin?: StdinWriter;
  terminated?: boolean;
}

const hosts = new Map<number, Entry>();
const workerHosts = new WorkerHosts(createWorkerHost);

async function create(m: Extract<ToHostsProcess, { t: "create" }>): Promise<void> {
  const made = loadRuntime(m.runtime).then((rt) =>
    workerHosts.create(rt, { memoryBytes: m.memoryBytes, options: m.options, onWarning: (message) => send({ t: "warning", message }) }),
  );
  const entry: Entry = { host: made };
  hosts.set(m.id, entry);
  try {
    const host = await made;
    if (entry.terminated) return void host.terminate();
    host.onGone = () => {
      if (hosts.get(m.id) === entry && !entry.terminated) send({ t: "gone", id: m.id });
    };
    await host.ready;
    send({ t: "ready", id: m.id });
  } catch (e) {
    hosts.delete(m.id);
    send({ t: "load-error", id: m.id, error: toWire(e) });
  }
}

async function run(m: Extract<ToHostsProcess, { t: "run" }>): Promise<void> {
  const entry = hosts.get(m.id);
  if (!entry) return send(crashed(m.id, "host is gone"));
  // Set before any await: the caller's input may be the very next message.
  const stdin = m.interactive ? new StdinWriter() : undefined;
  entry.stdin = stdin;
  const host = await entry.host;
  // One buffer per host, as the executor keeps one, sized as the executor's.
  if (entry.output?.cap !== m.cap) entry.output = { sab: createOutputBuffer(m.cap), cap: m.cap };
  const output = entry.output.sab;
  resetOutputBuffer(output);
  if (m.drained) setDrained(output);
  const cursor = new OutputCursor(output, m.cap);
  const flush = () => {
    const { stdout, stderr } = cursor.take();
    if (stdout.byteLength || stderr.byteLength) send({ t: "out", id: m.id, stdout, stderr });
  };
  const live = m.live || m.drained || stdin ? { ...(stdin && { stdin: stdin.sab }) } : undefined;
  const outcome = await host.run({ job: m.job, stdin: m.stdin, output, ...(live && { live }), ...(stdin && { stdinWriter: stdin }) }, (msg) => {
    if (msg.type === "output") flush();
    else if (msg.type === "stdin-room") stdin?.pump();
    else if (msg.type === "output-limit") {
      flush();
      send({ t: "limit", id: m.id, fd: msg.fd });
    }
  });
  // The rest of the output travels with the end: one message for most jobs.
  const { stdout, stderr } = cursor.take();
  entry.stdin = undefined;
  if (!host.alive) hosts.delete(m.id);
  send({ t: "end", id: m.id, outcome, alive: host.alive, rss: process.memoryUsage.rss(), stdout, stderr });
}

async function terminate(id: number): Promise<void> {
  const entry = hosts.get(id);
  if (!entry) return;
  entry.terminated = true;
  hosts.delete(id);
  const host = await entry.host.catch(() => undefined);
  await host?.terminate();
}

process.on("message", (m: ToHostsProcess) => {
  switch (m?.t) {
    case "preload":
      return void loadRuntime(m.runtime)
        .then((rt) => workerHosts.preload(rt, { memoryBytes: m.memoryBytes, options: m.options }))
        .catch(() => {}); // told when a host of it is created
    case "create":
      return void create(m);
    case "run":
      return void run(m).catch((e) => send(crashed(m.id, String((e as Error)?.message ?? e))));
    case "stdin":
      return hosts.get(m.id)?.stdin?.write(m.data);
    case "stdin-end":
      return hosts.get(m.id)?.stdin?.end();
    case "terminate":
      return void terminate(m.id);
  }
});
// The executor's end (close(), or its process exiting) closes the channel: nothing here outlives it.
process.on("disconnect", () => process.exit(0));
