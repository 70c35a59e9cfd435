/**
 * The Python side of one execution: sets up the entry file as `python3 <entry>` would, maps
 * SystemExit to the exit code and prints uncaught exceptions in CPython's format. program.ts runs
 * the compiled code itself, so that no frame of this runner is below the program's.
 */
import { COMPAT_SOURCE } from "./compat.js";

export const RUNNER_MODULE = "_wasmbox_runner";

export const RUNNER_SOURCE = COMPAT_SOURCE + String.raw`
import atexit, builtins, io, os, random, sys, traceback, types
from importlib.machinery import SourceFileLoader

# Run from JavaScript with no Python frame below it (program.ts): the program's <module> frame is
# the bottom of the stack, as under python3 main.py, so its depth, the recursion limit and its
# tracebacks count no frame of ours.
run_code = exec

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

def _report(e, tb):
    if isinstance(e, SystemExit):
        return _exit_code(e)
    try:
        sys.stderr.write("".join(traceback.format_exception(type(e), e, tb)))
    except BaseException:
        pass
    return 1

def _reseed(seed):
    # The snapshot holds the PRNG state seeded when it was made: every execution seeds it from
    # fresh entropy, a whole Mersenne Twister state of it as python3 takes from urandom. The bytes
    # come from JavaScript: Emscripten's getentropy() makes a JavaScript call per byte (~1.9 ms for
    # random.seed() here, against a few microseconds).
    random.seed(int.from_bytes(seed.to_bytes(), "little"))
    tf = sys.modules.get("tempfile")
    if tf is not None:
        tf._name_sequence = None

def prepare(entry, argv, env, executable, seed):
    """The entry file compiled and its __main__ module, as python3 <entry> sets them up; or,
    if that already fails (e.g. a SyntaxError), the exit status after reporting it."""
    _reseed(seed)
    try:
        os.environ.clear()
        os.environ.update(env)
        sys.argv = list(argv)
        sys.orig_argv = ["python3", *argv]
        sys.executable = sys._base_executable = executable
        # Pyodide puts "" first (a REPL's entry); python3 <entry> puts the entry's directory.
        sys.path[:] = [os.path.dirname(os.path.abspath(entry))] + [p for p in sys.path if p != ""]
        with io.open_code(entry) as f:
            source = f.read()
        code = compile(source, entry, "exec", dont_inherit=True)
    except BaseException as e:
        _flush()
        # Frames of this function are not the program's: only the error itself is reported.
        status = _report(e, None)
        _flush()
        return status
    main = types.ModuleType("__main__")
    main.__dict__.update(__file__=entry, __cached__=None, __builtins__=builtins, __loader__=SourceFileLoader("__main__", entry))
    sys.modules["__main__"] = main
    return (code, main.__dict__)

# Pyodide's sys.excepthook (traceback.print_exception, which prints what CPython's default hook does).
_default_hook = traceback.print_exception

def _finalize():
    # As Py_FinalizeEx does after the program: the atexit callbacks, then the streams flushed.
    try:
        atexit._run_exitfuncs()
    except BaseException:
        pass
    _flush()

def failed(printed):
    """After the program raised: its exit status. Pyodide has already passed the exception to
    sys.excepthook (PyErr_Print, which also set sys.last_exc as python3 does), with stderr
    captured into printed."""
    e = getattr(sys, "last_exc", None)
    _flush()
    if e is None or isinstance(e, SystemExit):
        for name in ("last_exc", "last_type", "last_value", "last_traceback"):
            try:
                delattr(sys, name)
            except AttributeError:
                pass
    if e is None:
        status = 1
    elif sys.excepthook in (_default_hook, sys.__excepthook__) or isinstance(e, SystemExit):
        status = _report(e, e.__traceback__)
    else:
        # The program's own hook ran: what it wrote to stderr is its report.
        try:
            sys.stderr.write(printed)
        except BaseException:
            pass
        status = 1
    _finalize()
    return status

def finished():
    _finalize()
    return 0
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
