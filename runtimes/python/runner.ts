/**
 * The Python side of one execution: runs the entry file as `python3 <entry>` would, maps
 * SystemExit to the exit code and prints uncaught exceptions in CPython's format, starting
 * at the user's frame (the frames of this runner and of runpy are not the user's).
 */
import { COMPAT_SOURCE } from "./compat.js";

export const RUNNER_MODULE = "_wasmbox_runner";

export const RUNNER_SOURCE = COMPAT_SOURCE + String.raw`
import os, sys, runpy, traceback

_SKIP = {__file__, runpy.__file__, "<exec>", "<frozen runpy>"}

def _trim(tb):
    while tb is not None and tb.tb_frame.f_code.co_filename in _SKIP:
        tb = tb.tb_next
    return tb

def _flush():
    for s in (sys.stdout, sys.stderr):
        try:
            s.flush()
        except BaseException:
            pass

def _exit_code(e):
    code = e.code
    if code is None:
        return 0
    if isinstance(code, bool) or not isinstance(code, int):
        try:
            sys.stderr.write(str(code) + "\n")
        except BaseException:
            pass
        return 1
    return code & 0xFF

def run(entry, argv, env):
    os.environ.clear()
    os.environ.update(env)
    sys.argv = list(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(entry)))
    try:
        try:
            runpy.run_path(entry, run_name="__main__")
            status = 0
        finally:
            _flush()
    except SystemExit as e:
        status = _exit_code(e)
    except BaseException as e:
        try:
            sys.stderr.write("".join(traceback.format_exception(type(e), e, _trim(e.__traceback__))))
        except BaseException:
            pass
        status = 1
    _flush()
    return status
`;

/** Python that installs the runner as a module and imports `preloaded`, run once before a snapshot is taken. */
export function installRunnerSource(preloaded: readonly string[]): string {
  return `
import sys, types
_m = types.ModuleType(${JSON.stringify(RUNNER_MODULE)})
_m.__file__ = "<wasmbox>"
exec(compile(${JSON.stringify(RUNNER_SOURCE)}, "<wasmbox>", "exec"), _m.__dict__)
sys.modules[${JSON.stringify(RUNNER_MODULE)}] = _m
del _m, types
import ${preloaded.join(", ")}
`;
}
