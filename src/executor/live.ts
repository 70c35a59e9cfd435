/**
 * Live I/O of one execution, executor side: output handed to the caller as the guest writes it,
 * and standard input the caller sends while the program runs. Used by PoolExecutor (Node and
 * browsers); nothing here imports Node.
 */
import type { ExecuteResult } from "../request.js";
import { StdinWriter } from "../sandbox/live-stdin.js";

/** Receives output as it is written: text decoded as UTF-8 (a character split across writes is delivered whole). */
export interface OutputListeners {
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface ExecuteOptions extends OutputListeners {
  /** Aborting ends the execution like a timeout would (the result has timedOut: false, exit code 130). */
  signal?: AbortSignal;
}

/** What the executor needs to run one execution live. */
export interface LiveJob {
  /** Output, decoded, in order per stream. */
  emit(fd: 1 | 2, text: string): void;
  /** Interactive standard input (spawn), or none: the request's `stdin`, then end of input. */
  stdin?: StdinWriter;
}

/** Turns a stream's bytes into text chunk by chunk, never splitting a character. */
export class LiveOutput {
  private readonly decoders = [new TextDecoder("utf-8", { fatal: false }), new TextDecoder("utf-8", { fatal: false })];
  constructor(private readonly live: LiveJob) {}

  push(fd: 1 | 2, bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    const text = this.decoders[fd - 1]!.decode(bytes, { stream: true });
    if (text) this.safeEmit(fd, text);
  }

  /** The end of both streams: what a decoder still holds (an incomplete character) goes out as U+FFFD. */
  flush(): void {
    for (const fd of [1, 2] as const) {
      const text = this.decoders[fd - 1]!.decode();
      if (text) this.safeEmit(fd, text);
    }
  }

  text(fd: 1 | 2, text: string): void {
    if (text) this.safeEmit(fd, text);
  }

  private safeEmit(fd: 1 | 2, text: string): void {
    try {
      this.live.emit(fd, text);
    } catch {
      /* a caller's listener that throws must not break the execution */
    }
  }
}

/** Standard input of a spawned execution. */
export interface ExecutionInput {
  /** Sends bytes or text (encoded as UTF-8) to the program. Ignored after `end()`. */
  write(data: string | Uint8Array): void;
  /** Ends the input: the program's next read past what was sent returns end of file. */
  end(): void;
}

/**
 * A running execution (`executor.spawn()`): output as web ReadableStreams of text chunks,
 * interactive standard input, the final result, and `kill()`.
 */
export interface ExecutionHandle {
  readonly stdout: ReadableStream<string>;
  readonly stderr: ReadableStream<string>;
  readonly stdin: ExecutionInput;
  /** The same result `execute()` gives; after kill(): the output so far, exit code 130, timedOut false. */
  readonly result: Promise<ExecuteResult>;
  /** Ends the program at once, whatever it is doing (waiting for a host, compiling, running). */
  kill(): void;
}

const encoder = new TextEncoder();

/** Builds a handle around `start`, which runs the execution with the live job and signal given. */
export function createHandle(
  initialStdin: string | undefined,
  signal: AbortSignal | undefined,
  start: (live: LiveJob, signal: AbortSignal) => Promise<ExecuteResult>,
): ExecutionHandle {
  const controllers: [ReadableStreamDefaultController<string> | undefined, ReadableStreamDefaultController<string> | undefined] = [undefined, undefined];
  const stream = (i: 0 | 1) => new ReadableStream<string>({ start: (c) => void (controllers[i] = c) });
  const stdout = stream(0);
  const stderr = stream(1);
  const writer = new StdinWriter();
  if (initialStdin) writer.write(encoder.encode(initialStdin));
  const kill = new AbortController();
  const onAbort = () => kill.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const close = (error?: unknown) => {
    for (const c of controllers) {
      try {
        if (error) c?.error(error);
        else c?.close();
      } catch {
        /* already closed */
      }
    }
  };
  const live: LiveJob = {
    emit: (fd, text) => controllers[fd - 1]?.enqueue(text),
    stdin: writer,
  };
  const result = start(live, kill.signal).then(
    (r) => {
      signal?.removeEventListener("abort", onAbort);
      close();
      return r;
    },
    (e) => {
      signal?.removeEventListener("abort", onAbort);
      close(e);
      throw e;
    },
  );
  return {
    stdout,
    stderr,
    stdin: {
      write: (data) => writer.write(typeof data === "string" ? encoder.encode(data) : data),
      end: () => writer.end(),
    },
    result,
    kill: () => kill.abort(new Error("killed")),
  };
}
