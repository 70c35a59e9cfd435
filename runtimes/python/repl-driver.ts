/** The program of a Python REPL context (protocol: src/session/context.ts). */
export const PYTHON_REPL_DRIVER = String.raw`def _wasmbox_repl():
    import sys, os, io, ast, json, base64, hashlib, traceback, linecache, types, builtins
    marker = "\x01wasmbox:" + sys.argv[1] + ":"
    real_in = sys.stdin.buffer
    out, err = sys.stdout, sys.stderr
    root = os.getcwd()
    try:
        os.remove(os.path.abspath(sys.argv[0]))
    except OSError:
        pass
    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = main
    scope = main.__dict__
    sys.argv[:] = [""]
    known = {}

    def digest(path):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            h.update(f.read())
        return h.digest()

    def walk():
        found = {}
        for d, dirs, files in os.walk(root):
            dirs.sort()
            for name in files:
                full = os.path.join(d, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    found[os.path.relpath(full, root).replace(os.sep, "/")] = full
        return found

    def apply(writes, deletes):
        for rel in deletes:
            try:
                os.remove(os.path.join(root, rel))
            except OSError:
                pass
            known.pop(rel, None)
        for rel, b64 in writes.items():
            full = os.path.join(root, rel)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            data = base64.b64decode(b64)
            with open(full, "wb") as f:
                f.write(data)
            known[rel] = hashlib.sha256(data).digest()

    def changes():
        writes, now = {}, {}
        for rel, full in walk().items():
            try:
                h = digest(full)
            except OSError:
                continue
            now[rel] = h
            if known.get(rel) != h:
                with open(full, "rb") as f:
                    writes[rel] = base64.b64encode(f.read()).decode("ascii")
        deletes = [rel for rel in known if rel not in now]
        known.clear()
        known.update(now)
        return writes, deletes

    def describe(e, drop):
        tb = e.__traceback__
        for _ in range(drop):
            if tb is not None:
                tb = tb.tb_next
        lines = traceback.format_exception(type(e), e, tb)
        return {"type": type(e).__name__, "message": str(e), "traceback": "".join(lines)}

    def run(n, cell):
        name = "<cell %d>" % n
        linecache.cache[name] = (len(cell), None, cell.splitlines(True), name)
        try:
            tree = ast.parse(cell, name, "exec")
        except (SyntaxError, ValueError) as e:
            return None, describe(e, 99)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        try:
            exec(compile(tree, name, "exec"), scope)
            if last is not None:
                value = eval(compile(last, name, "eval"), scope)
                if value is not None:
                    scope["_"] = value
                    return repr(value), None
        except KeyboardInterrupt as e:
            return None, describe(e, 1)
        except Exception as e:
            return None, describe(e, 1)
        return None, None

    err.write(marker + "\n")
    err.flush()
    out.write(marker + "{}\n")
    out.flush()
    while True:
        head = real_in.readline()
        if not head:
            return
        frame = json.loads(real_in.read(int(head)).decode("utf-8"))
        apply(frame.get("writes", {}), frame.get("deletes", []))
        # A cell that reads stdin sees an empty one: the protocol is not its to read.
        sys.stdin = io.TextIOWrapper(io.BytesIO(b""))
        value, error = run(frame["n"], frame["cell"])
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        sys.stdout, sys.stderr = out, err
        try:
            writes, deletes = changes()
        except Exception as e:
            writes, deletes = {}, []
        result = {"writes": writes, "deletes": deletes}
        if value is not None:
            result["value"] = value
        if error is not None:
            result["error"] = error
        err.write(marker + "\n")
        err.flush()
        out.write(marker + json.dumps(result) + "\n")
        out.flush()

_wasmbox_repl()
`;
