/**
 * What Pyodide cannot give as it is and wasmbox gives another way (runtimes/python/compat.ts):
 * asyncio.run without stack switching, and threads run to completion when started.
 * The expected output is what CPython prints for the same program (checked against python3).
 */
import { afterAll, describe, expect, it } from "vitest";
import { createExecutor } from "wasmbox";

const executor = createExecutor({ concurrency: 2 });
afterAll(() => executor.close());
const py = (code: string, extra: Record<string, unknown> = {}) => executor.execute({ runtime: "python", code, timeout: 20_000, ...extra });

describe("python compat: asyncio", () => {
  it("asyncio.run with gather, tasks, sleep, queues, wait_for, futures and executors", async () => {
    const r = await py(`
import asyncio
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print("no loop:", e)
async def tick(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
async def main():
    await asyncio.gather(tick("a", 2), tick("b", 2))
    q = asyncio.Queue()
    async def prod():
        for i in range(3): await q.put(i)
        await q.put(None)
    async def cons():
        while (x := await q.get()) is not None: print("got", x)
    await asyncio.gather(cons(), prod())
    try:
        await asyncio.wait_for(asyncio.sleep(5), timeout=0.05)
    except TimeoutError:
        print("timed out")
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_later(0.01, fut.set_result, 7)
    print(await fut)
    print(await loop.run_in_executor(None, lambda: 5 * 5))
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(asyncio.sleep(0.01, result="x"))
    print(t.result())
    return "ret"
print(asyncio.run(main()))
`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("no loop: no running event loop\na 0\nb 0\na 1\nb 1\ngot 0\ngot 1\ngot 2\ntimed out\n7\n25\nx\nret\n");
    expect(r.exitCode).toBe(0);
  });

  it("asyncio.sleep waits for the time asked", async () => {
    const r = await py("import asyncio, time\nt = time.monotonic()\nasyncio.run(asyncio.sleep(0.2))\nprint(time.monotonic() - t >= 0.2)");
    expect(r.stdout).toBe("True\n");
  });

  it("an exception inside a coroutine is a normal traceback and exit 1", async () => {
    const r = await py("import asyncio\nasync def main():\n    raise ValueError('inside')\nasyncio.run(main())");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/ValueError: inside\n$/);
    expect(r.stderr).not.toContain("webloop");
  });
});

describe("python compat: threads", () => {
  it("threads started and joined give their results; names and current_thread are theirs", async () => {
    const r = await py(`
import threading, queue
q = queue.Queue()
lock = threading.Lock()
total = 0
def work(i):
    global total
    with lock:
        total += i
    q.put(i * 10)
    print(threading.current_thread().name, threading.current_thread() is not threading.main_thread())
ts = [threading.Thread(target=work, args=(i,)) for i in range(3)]
for t in ts: t.start()
for t in ts: t.join()
print(total, sorted(q.get() for _ in range(3)), threading.active_count(), ts[0].is_alive())
print(threading.current_thread().name)
`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("Thread-1 (work) True\nThread-2 (work) True\nThread-3 (work) True\n3 [0, 10, 20] 1 False\nMainThread\n");
  });

  it("an exception in a thread is reported as CPython does and the program goes on", async () => {
    const r = await py("import threading\ndef bad():\n    raise ValueError('in thread')\nt = threading.Thread(target=bad)\nt.start()\nt.join()\nprint('main continues')");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("main continues\n");
    expect(r.stderr).toMatch(/^Exception in thread Thread-1 \(bad\):\nTraceback \(most recent call last\):\n/);
    expect(r.stderr).toMatch(/ValueError: in thread\n$/);
    expect(r.stderr).not.toContain("<wasmbox>");
  });

  it("ThreadPoolExecutor map and submit", async () => {
    const r = await py(`
from concurrent.futures import ThreadPoolExecutor, as_completed
with ThreadPoolExecutor(max_workers=4) as ex:
    print(list(ex.map(lambda x: x * x, range(5))))
    fs = [ex.submit(pow, 2, i) for i in range(4)]
    print(sorted(f.result() for f in as_completed(fs)))
    bad = ex.submit(int, "x")
    print(type(bad.exception()).__name__)
`);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("[0, 1, 4, 9, 16]\n[1, 2, 4, 8]\nValueError\n");
  });

  it("a thread that waits for one started after it blocks until the timeout, as a deadlock would", async () => {
    const r = await py("import threading\ne = threading.Event()\nt = threading.Thread(target=e.wait)\nt.start()\ne.set()\nprint('never')", { timeout: 1500 });
    expect(r.timedOut).toBe(true);
    expect(r.stdout).toBe("");
  });
});
