# wasmbox run examples/hello.py  (or: echo Ada | wasmbox run examples/hello.py)
import sys

name = sys.stdin.readline().strip() or "World"
squares = [n * n for n in range(1, 6)]
print(f"Hello, {name}! From Python {sys.version_info.major}.{sys.version_info.minor}.")
print("squares:", squares, "sum:", sum(squares))
