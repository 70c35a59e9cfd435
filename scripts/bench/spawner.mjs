/**
 * A small helper process that spawns the native contenders for the benchmark (see spawnTimed in
 * native.mjs): each request `{ id, cmd, args, cwd }` is answered with `{ id, ms, stdout, stderr,
 * error }`, the wall time measured here from the spawn to the end of the child, as before.
 */
import { execFile } from "node:child_process";

process.on("message", ({ id, cmd, args, cwd }) => {
  const t = performance.now();
  execFile(cmd, args, { cwd, encoding: "utf8", env: { PATH: process.env.PATH, HOME: process.env.HOME }, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
    const ms = performance.now() - t;
    process.send({ id, ms, stdout, stderr, error: err ? err.message : undefined });
  });
});
