/** `process` for libraries that ask for one (memfs's defaults): a POSIX-looking, empty one. */
const process = {
  platform: "linux",
  env: {} as Record<string, string>,
  argv: [] as string[],
  version: "v20.0.0",
  versions: {} as Record<string, string>,
  cwd: () => "/",
  getuid: () => 0,
  getgid: () => 0,
  emitWarning: () => {},
  nextTick: (fn: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => fn(...args)),
};
export default process;
export const { platform, env, cwd } = process;
