/**
 * What CPython programs expect and Pyodide cannot give as it is, given another way. Installed
 * once, before the memory snapshot is taken, so no execution pays for it.
 *
 * - asyncio: Pyodide's event loop (WebLoop) runs `asyncio.run()` only with WebAssembly stack
 *   switching, which Node 20 lacks. A selector loop whose selector watches nothing and sleeps
 *   until the next timer runs coroutines, tasks, `asyncio.sleep` and `gather` as CPython does.
 * - threading: Pyodide cannot start threads. `Thread.start()` runs the target to completion
 *   right away, as that thread (its name, `current_thread()`, exceptions through
 *   `threading.excepthook`), so programs that start workers and join them print what they print
 *   under CPython when the threads do not wait on each other. `ThreadPoolExecutor` runs each
 *   submitted call at once and returns its finished future. Threads that wait for one another
 *   (a consumer started before its producer) cannot finish this way: they block until the
 *   timeout, as a deadlock would.
 */
export const COMPAT_SOURCE = String.raw`
def _install_compat():
    import asyncio, asyncio.events, selectors, sys, threading, time, warnings
    from concurrent.futures import Future, thread as _cf_thread

    class _SandboxSelector(selectors._BaseSelectorImpl):
        # No file descriptor can become ready in the sandbox: waiting is sleeping until the next timer.
        def select(self, timeout=None):
            time.sleep(0.05 if timeout is None else max(0.0, min(timeout, 3600.0)))
            return []

    class _SandboxEventLoop(asyncio.SelectorEventLoop):
        def __init__(self):
            super().__init__(_SandboxSelector())

        # The self-pipe only wakes a loop blocked in select() from another thread; there are none.
        def _make_self_pipe(self):
            pass

        def _close_self_pipe(self):
            pass

        def _write_to_self(self):
            pass

    base = getattr(asyncio.events, "_BaseDefaultEventLoopPolicy", None) or asyncio.events.BaseDefaultEventLoopPolicy

    class _SandboxPolicy(base):
        _loop_factory = _SandboxEventLoop

    setter = getattr(asyncio.events, "_set_event_loop_policy", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        (setter or asyncio.set_event_loop_policy)(_SandboxPolicy())

    # Pyodide replaces asyncio.run with one that needs stack switching; this is CPython's.
    def run(main, *, debug=None, loop_factory=None):
        if asyncio.events._get_running_loop() is not None:
            raise RuntimeError("asyncio.run() cannot be called from a running event loop")
        with asyncio.Runner(debug=debug, loop_factory=loop_factory or _SandboxEventLoop) as runner:
            return runner.run(main)

    run.__module__ = "asyncio.runners"
    run.__qualname__ = "run"
    asyncio.run = asyncio.runners.run = run
    # Pyodide marks its loop as running (in a browser the JavaScript event loop always is); a
    # CPython program starts with no running loop.
    asyncio.events._set_running_loop(None)

    Thread = threading.Thread

    def start(self):
        if not self._initialized:
            raise RuntimeError("thread.__init__() not called")
        if self._started.is_set():
            raise RuntimeError("threads can only be started once")
        ident = threading.get_ident()
        caller = threading._active.get(ident)
        self._ident = ident
        self._wasmbox_done = False
        self._started.set()
        threading._active[ident] = self
        try:
            self.run()
        except BaseException as e:
            e.__traceback__ = e.__traceback__.tb_next  # from Thread.run on, as CPython reports it
            self._invoke_excepthook(self)
        finally:
            if caller is not None:
                threading._active[ident] = caller
            self._wasmbox_done = True

    def join(self, timeout=None):
        if not self._initialized:
            raise RuntimeError("Thread.__init__() not called")
        if not self._started.is_set():
            raise RuntimeError("cannot join thread before it is started")
        if self is threading.current_thread():
            raise RuntimeError("cannot join current thread")

    def is_alive(self):
        return self._started.is_set() and not getattr(self, "_wasmbox_done", True)

    Thread.start = start
    Thread.join = join
    Thread.is_alive = is_alive

    def submit(self, fn, /, *args, **kwargs):
        with self._shutdown_lock:
            if self._broken:
                raise _cf_thread.BrokenThreadPool(self._broken)
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
        future = Future()
        future.set_running_or_notify_cancel()
        try:
            result = fn(*args, **kwargs)
        except BaseException as e:
            future.set_exception(e)
        else:
            future.set_result(result)
        return future

    _cf_thread.ThreadPoolExecutor.submit = submit

_install_compat()
del _install_compat
`;
