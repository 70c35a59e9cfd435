/**
 * `wasmbox run`, live: the program's output reaches our stdout/stderr as it writes it; at a
 * terminal, what the user types reaches its stdin line by line (Ctrl-D ends it); Ctrl-C stops
 * it (exit 130) with everything it printed already shown.
 */
import type { Executor } from "../executor/executor.js";
import type { ExecuteRequest, ExecuteResult } from "../request.js";

export interface LiveRunOptions {
  /** Write output as it comes (false: --json, where only the result is printed). */
  stream: boolean;
  /** Our stdin is a terminal (and no --stdin file was given): feed it to the program as typed. */
  interactive: boolean;
  /** Called before the first output is written (e.g. to erase a progress line). */
  beforeOutput?: () => void;
}

export async function runLive(executor: Executor, request: ExecuteRequest, opts: LiveRunOptions): Promise<ExecuteResult> {
  let first = true;
  const out = (stream: NodeJS.WriteStream) => (chunk: string) => {
    if (first) {
      first = false;
      opts.beforeOutput?.();
    }
    stream.write(chunk);
  };
  const onStdout = out(process.stdout);
  const onStderr = out(process.stderr);
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.on("SIGINT", onSigint);
  try {
    // The runtime is loaded first, so that --timeout is the program's time, not the load's.
    await executor.warm(request.runtime, stop.signal).catch((e: unknown) => {
      // An invalid request (e.g. an unknown runtime) is reported by the execution itself.
      if ((e as { code?: string })?.code !== "INVALID_REQUEST") throw e;
    });
    if (stop.signal.aborted) return { stdout: "", stderr: "", exitCode: 130, executionTime: 0, timedOut: false };
    if (!opts.stream) return await executor.execute(request, { signal: stop.signal });
    if (!opts.interactive) return await executor.execute(request, { signal: stop.signal, onStdout, onStderr });
    const handle = executor.spawn(request, { signal: stop.signal });
    const pump = async (stream: ReadableStream<string>, write: (c: string) => void) => {
      for await (const chunk of stream as unknown as AsyncIterable<string>) write(chunk);
    };
    // A terminal in canonical mode hands us a line when Enter is pressed, and ends our stdin on Ctrl-D.
    const onData = (chunk: Buffer) => handle.stdin.write(new Uint8Array(chunk));
    const onEnd = () => handle.stdin.end();
    process.stdin.on("data", onData);
    process.stdin.once("end", onEnd);
    try {
      const [result] = await Promise.all([handle.result, pump(handle.stdout, onStdout), pump(handle.stderr, onStderr)]);
      return result;
    } finally {
      process.stdin.off("data", onData);
      process.stdin.off("end", onEnd);
      // Our stdin must not keep the process alive once the program has ended.
      process.stdin.pause();
      process.stdin.unref?.();
    }
  } finally {
    process.off("SIGINT", onSigint);
  }
}
