#!/usr/bin/env python3
"""tests/cli: writes the small component binaries of the CLI golden tests (wat2wasm makes core modules
only). Each component is assembled here section by section following the component model's Binary.md;
core modules are taken from files built by wat2wasm.

usage: make_component.py KIND OUT.wasm [CORE.wasm]
  sample       a func type, an import "log": func(msg: string), an export "run" of it, and CORE.wasm
               as a core module
  core         CORE.wasm as its only core module (to check that core modules are validated)
  bad-version  a preamble with version 0x0c instead of 0x0d
  bad-export   an export of a func index that does not exist
"""
import sys


def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def name(s):
    b = s.encode()
    return leb(len(b)) + b


def section(sid, payload):
    return bytes([sid]) + leb(len(payload)) + payload


def vec(items):
    return leb(len(items)) + b"".join(items)


PREAMBLE = b"\0asm" + bytes([0x0D, 0x00, 0x01, 0x00])
STRING = b"\x73"
FUNC_TYPE_LOG = b"\x40" + vec([name("msg") + STRING]) + b"\x01\x00"  # func(msg: string), no result
IMPORT_LOG = b"\x00" + name("log") + b"\x01" + leb(0)  # import "log" (func (type 0))


def export_func(export_name, index):
    return b"\x00" + name(export_name) + b"\x01" + leb(index) + b"\x00"  # sort func, no ascribed type


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kind, out = sys.argv[1], sys.argv[2]
    core = open(sys.argv[3], "rb").read() if len(sys.argv) > 3 else None
    if kind == "sample":
        data = (PREAMBLE + section(7, vec([FUNC_TYPE_LOG])) + section(10, vec([IMPORT_LOG])) +
                section(1, core) + section(11, vec([export_func("run", 0)])))
    elif kind == "core":
        data = PREAMBLE + section(1, core)
    elif kind == "bad-version":
        data = b"\0asm" + bytes([0x0C, 0x00, 0x01, 0x00])
    elif kind == "bad-export":
        data = (PREAMBLE + section(7, vec([FUNC_TYPE_LOG])) + section(10, vec([IMPORT_LOG])) +
                section(11, vec([export_func("run", 3)])))
    else:
        sys.exit(f"make_component.py: unknown kind {kind}")
    open(out, "wb").write(data)


main()
