import { SPY_WAIT_MS, type AttackPrograms } from "../../../test/security/attacks.js";

const q = JSON.stringify;
const show = `import os, sys
def show(label, f):
    try:
        v = f()
        print(label + "=OK:" + repr(v)[:300])
    except BaseException:
        print(label + "=ERR")
`;

export const programs: AttackPrograms = {
  "read-host-files": (c) => ({
    code: `${show}
show("abs", lambda: open(${q(c.canaryFile)}).read())
show("climb", lambda: open(${q(c.climb)}).read())
show("listdir", lambda: os.listdir(${q(c.canaryDir)}))
show("root", lambda: os.listdir("/"))
show("environ", lambda: open("/proc/self/environ", "rb").read())
show("cmdline", lambda: open("/proc/self/cmdline", "rb").read())
print("DONE")`,
  }),
  "write-host-files": (c) => ({
    code: `${show}
show("write-abs", lambda: open(${q(c.writeFile)}, "w").write("pwned"))
show("write-climb", lambda: open(${q(c.writeClimb)}, "w").write("pwned"))
show("delete-abs", lambda: os.remove(${q(c.victimFile)}))
show("delete-climb", lambda: os.remove(${q(c.victimClimb)}))
show("truncate", lambda: open(${q(c.victimFile)}, "w").close())
print("DONE")`,
  }),
  "host-env": (c) => ({
    code: `${show}
show("environ", lambda: dict(os.environ))
show("getenv", lambda: os.getenv(${q(c.envName)}))
import js
show("js-env", lambda: js.process.env.to_py())
show("js-getenv", lambda: getattr(js.process.env, ${q(c.envName)}))
print("DONE")`,
  }),
  network: (c) => ({
    code: `${show}
import socket, urllib.request
def tcp():
    s = socket.create_connection(("127.0.0.1", ${c.port}), timeout=2)
    s.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
    return s.recv(100)
show("tcp", tcp)
show("http", lambda: urllib.request.urlopen("http://127.0.0.1:${c.port}/", timeout=2).read())
import js
from pyodide.ffi import run_sync
show("js-fetch", lambda: run_sync(js.fetch("http://127.0.0.1:${c.port}/")).status)
show("js-net", lambda: js.require("net").connect(${c.port}, "127.0.0.1"))
print("DONE")`,
  }),
  dns: () => ({
    code: `${show}
import socket
for name in ["localhost", "example.com", socket.gethostname()]:
    try:
        print("RESOLVED", name, socket.getaddrinfo(name, 80)[:1])
    except BaseException:
        print("dns=ERR")
print("DONE")`,
  }),
  "spawn-process": (c) => ({
    code: `${show}
import subprocess
cmd = "printf %s%s PWN ED; touch ${c.spawnMarker}"
show("system", lambda: os.system(cmd))
show("subprocess", lambda: subprocess.run(["sh", "-c", cmd], capture_output=True).stdout)
show("popen", lambda: os.popen(cmd).read())
show("execv", lambda: os.execv("/bin/sh", ["sh", "-c", cmd]))
show("fork", lambda: os.fork())
import js
show("js-child", lambda: js.require("child_process").execSync(cmd).toString())
show("js-process-child", lambda: js.process.mainModule.require("child_process").execSync(cmd).toString())
print("DONE")`,
  }),
  "host-javascript": (c) => ({
    code: `${show}
import js
from pyodide.ffi import to_js
show("require", lambda: js.require("fs").readFileSync(${q(c.canaryFile)}, "utf8"))
show("main-module", lambda: js.process.mainModule.require("fs").readFileSync(${q(c.canaryFile)}, "utf8"))
show("binding", lambda: js.process.binding("fs"))
show("run_js", lambda: __import__("pyodide.code", fromlist=["run_js"]).run_js("process.env"))
show("ctor", lambda: to_js([1]).constructor.constructor("return process")().env)
show("import", lambda: __import__("pyodide.code", fromlist=["run_js"]).run_js("import('node:fs')"))
def pollute():
    js.Object.prototype.wasmboxPolluted = "polluted"
    return js.eval("({}).wasmboxPolluted")
show("pollute", pollute)
print("DONE")`,
  }),
  "leave-state": () => ({
    code: `import builtins, sys, os, js
builtins.LEFT = 1
sys.modules["left_behind"] = sys
open("left.txt", "w").write("x")
open("/tmp/left.txt", "w").write("x")
os.environ["LEFT"] = "1"
js.globalThis.leftBehind = 1
open("leftmod.py", "w").write("X = 1")
import leftmod
print("DONE")`,
    then: {
      code: `import builtins, sys, os, js
checks = {
  "builtin": hasattr(builtins, "LEFT"), "module": "left_behind" in sys.modules or "leftmod" in sys.modules,
  "cwd-file": os.path.exists("left.txt") or os.path.exists("leftmod.py"), "tmp-file": os.path.exists("/tmp/left.txt"),
  "env": "LEFT" in os.environ, "js-global": hasattr(js.globalThis, "leftBehind"),
}
for k, v in checks.items():
    if v: print("found:" + k)
print("DONE")`,
    },
  }),
  "spy-on-concurrent": () => ({
    code: `${show}
import time
print("own=" + sys.stdin.read())
time.sleep(${SPY_WAIT_MS / 1000})
for p in ["/dev/stdin", "/proc/self/fd/0", "/dev/fd/0", "/proc/1/fd/0", "/proc/1/fd/1"]:
    show(p, lambda: open(p).read())
show("proc", lambda: os.listdir("/proc"))
show("tmp", lambda: os.listdir("/tmp"))
print("DONE")`,
  }),
};
