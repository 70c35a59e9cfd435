/** Shared by the Node and browser entries of the compiled runtimes (nothing here needs Node). */
import type { Io } from "../../src/runtime.js";

/** Keeps the last few KB of stderr, to tell a panic (message, then abort) from other traps. */
export function watchStderr(io: Io): { io: Io; tail: () => string } {
  const decoder = new TextDecoder();
  let tail = "";
  return {
    io: {
      stdin: io.stdin,
      read: (into) => io.read(into),
      ...(io.readWithin && { readWithin: io.readWithin }),
      // Kept: a session's run reads the files the program left through it.
      ...(io.inspect && { inspect: io.inspect }),
      write(fd, data) {
        io.write(fd, data);
        if (fd === 2) tail = (tail + (typeof data === "string" ? data : decoder.decode(data))).slice(-4096);
      },
    },
    tail: () => tail,
  };
}
