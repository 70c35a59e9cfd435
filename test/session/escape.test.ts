/**
 * The escape matrix (test/security/escape-suite.ts) inside sessions: each program runs in a
 * session of its own, over the same sandboxes, with the session's files around it. Besides the
 * matrix's own checks, nothing of the host's secret may land in the session's files.
 */
import { escapeMatrix } from "../security/escape-suite.js";

const decoder = new TextDecoder();

await escapeMatrix({
  title: " (sessions)",
  async run(executor, request) {
    const session = executor.createSession();
    try {
      await session.files.write("notes/seed.txt", "a session file\n");
      const r = await session.execute(request);
      for (const [path, content] of session.tree.entries()) {
        const text = decoder.decode(content);
        // The matrix fails a result whose output holds its canary: a session file holding it fails the same way.
        if (text.includes("CANARY-")) r.stderr += `\nsession file ${path}: ${text}`;
      }
      return r;
    } finally {
      await session.close();
    }
  },
});
