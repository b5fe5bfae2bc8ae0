#!/usr/bin/env python3
"""Differential test of airwasm's canonical ABI against the specification's reference, definitions.py.

Generates random component value types (nested records, tuples, variants, enums, options, results, flags,
lists, fixed-length lists and maps of every primitive type, strings), random values, memories and flat values,
runs definitions.py (imported from the shared test suite, never copied) on them, runs airwasm on the same
cases through canon_diff_driver, and compares:

  store   store a value at a pointer, load it back: trap or not, every byte of memory, the realloc calls,
          the value loaded back
  flat    lower_flat_values (16 params, or 1 result: spilling through realloc'd memory) then
          lift_flat_values: trap or not, the flat values, memory, realloc calls, the values lifted back
  string  store_string_into_range from each source encoding into each destination encoding (the
          transcoding paths), then load_string_from_range: pointer, tagged length, bytes, realloc calls
  adapt   a component-to-component call: lift_flat_values from one encoding, lower_flat_values into
          another, the strings' source encodings passed along: flat values, memory, realloc calls, values
  load    load from a valid memory image with a few bytes corrupted (bad discriminants, bad chars,
          out-of-bounds pointers and lengths, invalid UTF-8/UTF-16): trap exactly when definitions.py traps,
          otherwise the same value
  lift    lift_flat_values from valid flat values with some replaced by hostile ones: same

Both sides use the same deterministic realloc: a bump allocator that copies the old contents, except that
one chosen call may return a garbage pointer (misaligned, out of bounds), so realloc result checks are
compared too. Floats are compared by bits with definitions.DETERMINISTIC_PROFILE on (canonical NaNs).

The run is deterministic for a seed (default 1; --seed N or AIRWASM_CANON_DIFF_SEED=N to override,
--seed random for a fresh one); the seed is printed so that a failure can be reproduced.

Driver protocol, one line per case (whitespace-separated tokens):
  in:  id op encoding fused mem_size heap bad_call bad_value ptr max_flat ntypes TYPE... nvalues VALUE...
       nflat FLAT... (fill SEED | hex HEX | hex -) [string op: source_encoding tagged s:TEXT_HEX]
       [adapt op: source_encoding]
  out: id T message                                   (the first step trapped)
       id R nflat FLAT... M MEM_HEX C ncalls (old old_size align new_size)... L (T message | V VALUE...)
       id V VALUE...                                  (load and lift ops)
TYPE and VALUE are prefix token forms (see type_tokens and value_tokens).
"""

import argparse
import os
import random
import struct
import subprocess
import sys
import time

d = None  # definitions.py, imported in main()

PRIM_NAMES = {}


def setup_prims():
    for name, cls in [('bool', d.BoolType), ('s8', d.S8Type), ('u8', d.U8Type), ('s16', d.S16Type),
                      ('u16', d.U16Type), ('s32', d.S32Type), ('u32', d.U32Type), ('s64', d.S64Type),
                      ('u64', d.U64Type), ('f32', d.F32Type), ('f64', d.F64Type), ('char', d.CharType),
                      ('string', d.StringType)]:
        PRIM_NAMES[cls] = name


INT_RANGES = {'s8': (-2**7, 2**7 - 1), 'u8': (0, 2**8 - 1), 's16': (-2**15, 2**15 - 1), 'u16': (0, 2**16 - 1),
              's32': (-2**31, 2**31 - 1), 'u32': (0, 2**32 - 1), 's64': (-2**63, 2**63 - 1), 'u64': (0, 2**64 - 1)}


class F32(float):
    """A float generated from exact f32 bits (kept so that the driver receives NaN payloads untouched)."""
    def __new__(cls, bits):
        obj = float.__new__(cls, struct.unpack('<f', struct.pack('<I', bits))[0])
        obj.bits = bits
        return obj


class F64(float):
    def __new__(cls, bits):
        obj = float.__new__(cls, struct.unpack('<d', struct.pack('<Q', bits))[0])
        obj.bits = bits
        return obj


def f32_bits(v):
    return v.bits if isinstance(v, F32) else struct.unpack('<I', struct.pack('<f', v))[0]


def f64_bits(v):
    return v.bits if isinstance(v, F64) else struct.unpack('<Q', struct.pack('<d', v))[0]


# ------------------------------------------------------------------------------------------ generation

class Gen:
    def __init__(self, rng):
        self.r = rng

    def labels(self, n):
        out = []
        while len(out) < n:
            l = self.r.choice(['a', 'b', 'c', 'x', 'y', 'name', 'val', 'k']) + '-' + str(len(out))
            out.append(l)
        return out

    def prim(self):
        return self.r.choice([d.BoolType, d.S8Type, d.U8Type, d.S16Type, d.U16Type, d.S32Type, d.U32Type,
                              d.S64Type, d.U64Type, d.F32Type, d.F64Type, d.CharType, d.StringType,
                              d.StringType, d.U8Type, d.U32Type])()

    def type(self, depth):
        r = self.r
        if depth <= 0 or r.random() < 0.35:
            return self.prim()
        k = r.choice(['list', 'list', 'record', 'record', 'tuple', 'variant', 'variant', 'enum', 'option',
                      'result', 'flags', 'flist', 'map'])
        if k == 'list':
            return d.ListType(self.type(depth - 1))
        if k == 'map':
            key = r.choice([d.BoolType, d.S8Type, d.U16Type, d.S32Type, d.U64Type, d.CharType, d.StringType])()
            return d.MapType(key, self.type(depth - 1))
        if k == 'flist':
            return d.ListType(self.type(depth - 1), r.randint(1, 3))
        if k == 'record':
            n = r.randint(1, 4)
            return d.RecordType([d.FieldType(l, self.type(depth - 1)) for l in self.labels(n)])
        if k == 'tuple':
            return d.TupleType([self.type(depth - 1) for _ in range(r.randint(1, 4))])
        if k == 'variant':
            n = r.choice([1, 2, 3, 4, 5, 2, 3]) if r.random() < 0.97 else r.choice([256, 257, 300])
            return d.VariantType([d.CaseType(l, self.type(depth - 1) if r.random() < 0.7 and i < 6 else None)
                                  for i, l in enumerate(self.labels(n))])
        if k == 'enum':
            n = r.randint(1, 6) if r.random() < 0.95 else r.choice([255, 256, 257])
            return d.EnumType(self.labels(n))
        if k == 'option':
            return d.OptionType(self.type(depth - 1))
        if k == 'result':
            ok = self.type(depth - 1) if r.random() < 0.7 else None
            err = self.type(depth - 1) if r.random() < 0.7 else None
            return d.ResultType(ok, err)
        return d.FlagsType(self.labels(r.choice([1, 3, 8, 9, 16, 17, 31, 32])))

    def char(self):
        r = self.r
        band = r.random()
        if band < 0.5:
            return chr(r.randint(0x20, 0x7e))
        if band < 0.7:
            return chr(r.randint(0x80, 0xff))
        if band < 0.9:
            c = r.randint(0x100, 0xfffd)
            return chr(c) if not 0xd800 <= c <= 0xdfff else 'x'
        return chr(r.randint(0x10000, 0x10ffff))

    def text(self):
        r = self.r
        n = r.choice([0, 1, 2, 3, 5, 8, 13])
        style = r.random()
        if style < 0.3:
            return ''.join(chr(r.randint(0x20, 0x7e)) for _ in range(n))
        if style < 0.5:
            return ''.join(chr(r.randint(0x20, 0xff)) for _ in range(n))
        return ''.join(self.char() for _ in range(n))

    def float_bits(self, width):
        r = self.r
        if width == 32:
            return r.choice([0, 0x80000000, 0x3fc00000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001,
                             0xffc12345, 0x00000001, r.getrandbits(32), r.getrandbits(32)])
        return r.choice([0, 1 << 63, 0x3ff8000000000000, 0x7ff0000000000000, 0x7ff8000000000000,
                         0x7ff0000000000001, 0xfff8000000000abc, r.getrandbits(64), r.getrandbits(64)])

    def value(self, t):
        r = self.r
        if isinstance(t, d.BoolType):
            return r.random() < 0.5
        name = PRIM_NAMES.get(type(t))
        if name in INT_RANGES:
            lo, hi = INT_RANGES[name]
            return r.choice([lo, hi, 0, 1, -1 if lo < 0 else 2, r.randint(lo, hi), r.randint(lo, hi)])
        if isinstance(t, d.F32Type):
            return F32(self.float_bits(32))
        if isinstance(t, d.F64Type):
            return F64(self.float_bits(64))
        if isinstance(t, d.CharType):
            return self.char()
        if isinstance(t, d.StringType):
            s = self.text()
            return (s, 'utf8', len(s.encode('utf-8')))
        if isinstance(t, d.MapType):
            return [{'0': self.value(t.k), '1': self.value(t.v)} for _ in range(r.choice([0, 1, 2, 3]))]
        if isinstance(t, d.ListType):
            n = t.l if t.l is not None else r.choice([0, 1, 2, 3, 4, 7])
            return [self.value(t.t) for _ in range(n)]
        if isinstance(t, d.RecordType):
            return {f.label: self.value(f.t) for f in t.fields}
        if isinstance(t, d.TupleType):
            return {str(i): self.value(u) for i, u in enumerate(t.ts)}
        if isinstance(t, d.VariantType):
            c = r.choice(t.cases)
            return {c.label: None if c.t is None else self.value(c.t)}
        if isinstance(t, d.EnumType):
            return {r.choice(t.labels): None}
        if isinstance(t, d.OptionType):
            return {'none': None} if r.random() < 0.3 else {'some': self.value(t.t)}
        if isinstance(t, d.ResultType):
            if r.random() < 0.5:
                return {'ok': None if t.ok is None else self.value(t.ok)}
            return {'error': None if t.error is None else self.value(t.error)}
        if isinstance(t, d.FlagsType):
            return {l: r.random() < 0.5 for l in t.labels}
        raise AssertionError(t)


# ------------------------------------------------------------------------------------------ tokens

def type_tokens(t, out):
    name = PRIM_NAMES.get(type(t))
    if name:
        out.append(name)
    elif isinstance(t, d.MapType):
        out.append('map')
        type_tokens(t.k, out)
        type_tokens(t.v, out)
    elif isinstance(t, d.ListType):
        out.extend(['list'] if t.l is None else ['flist', str(t.l)])
        type_tokens(t.t, out)
    elif isinstance(t, d.RecordType):
        out.extend(['record', str(len(t.fields))])
        for f in t.fields:
            out.append(f.label)
            type_tokens(f.t, out)
    elif isinstance(t, d.TupleType):
        out.extend(['tuple', str(len(t.ts))])
        for u in t.ts:
            type_tokens(u, out)
    elif isinstance(t, d.VariantType):
        out.extend(['variant', str(len(t.cases))])
        for c in t.cases:
            out.append(c.label)
            opt_type_tokens(c.t, out)
    elif isinstance(t, d.EnumType):
        out.extend(['enum', str(len(t.labels))] + t.labels)
    elif isinstance(t, d.OptionType):
        out.append('option')
        type_tokens(t.t, out)
    elif isinstance(t, d.ResultType):
        out.append('result')
        opt_type_tokens(t.ok, out)
        opt_type_tokens(t.error, out)
    elif isinstance(t, d.FlagsType):
        out.extend(['flags', str(len(t.labels))] + t.labels)
    else:
        raise AssertionError(t)


def opt_type_tokens(t, out):
    if t is None:
        out.append('0')
    else:
        out.append('1')
        type_tokens(t, out)


def value_tokens(t, v, out):
    """The driver's token form of a definitions.py value (as generated, or as lifted by definitions.py)."""
    name = PRIM_NAMES.get(type(t))
    if name == 'bool':
        out.append('1' if v else '0')
    elif name in INT_RANGES:
        out.append(str(v))
    elif name == 'f32':
        out.append(str(f32_bits(v)))
    elif name == 'f64':
        out.append(str(f64_bits(v)))
    elif name == 'char':
        out.append(str(ord(v)))
    elif name == 'string':
        out.append('s:' + v[0].encode('utf-8').hex())
    elif isinstance(t, d.MapType):
        out.append(str(len(v)))
        for e in v:
            value_tokens(t.k, e['0'], out)
            value_tokens(t.v, e['1'], out)
    elif isinstance(t, d.ListType):
        out.append(str(len(v)))
        for e in v:
            value_tokens(t.t, e, out)
    elif isinstance(t, d.RecordType):
        for f in t.fields:
            value_tokens(f.t, v[f.label], out)
    elif isinstance(t, d.TupleType):
        for i, u in enumerate(t.ts):
            value_tokens(u, v[str(i)], out)
    elif isinstance(t, d.VariantType):
        [(label, payload)] = v.items()
        i = [c.label for c in t.cases].index(label)
        out.append(str(i))
        if t.cases[i].t is not None:
            value_tokens(t.cases[i].t, payload, out)
    elif isinstance(t, d.EnumType):
        [label] = v.keys()
        out.append(str(t.labels.index(label)))
    elif isinstance(t, d.OptionType):
        if 'some' in v:
            out.append('1')
            value_tokens(t.t, v['some'], out)
        else:
            out.append('0')
    elif isinstance(t, d.ResultType):
        if 'ok' in v:
            out.append('0')
            if t.ok is not None:
                value_tokens(t.ok, v['ok'], out)
        else:
            out.append('1')
            if t.error is not None:
                value_tokens(t.error, v['error'], out)
    elif isinstance(t, d.FlagsType):
        out.append(str(sum(1 << i for i, l in enumerate(t.labels) if v[l])))
    else:
        raise AssertionError(t)


# ------------------------------------------------------------------------------------------ reference side

def fill_memory(size, seed):
    return bytearray((i * 31 + seed * 17 + (i >> 5)) & 0xff for i in range(size))


class Allocator:
    """The deterministic realloc both sides use (see DiffContext::realloc in canon_diff_driver.cc)."""
    def __init__(self, mem, heap, bad_call, bad_value):
        self.mem, self.next, self.bad_call, self.bad_value = mem, heap, bad_call, bad_value
        self.calls = []

    def __call__(self, old, old_size, align, new_size):
        self.calls.append((old, old_size, align, new_size))
        if len(self.calls) - 1 == self.bad_call:
            return self.bad_value
        ptr = (self.next + align - 1) // align * align
        n = len(self.mem)
        for i in range(min(old_size, new_size)):
            if ptr + i < n and old + i < n:
                self.mem[ptr + i] = self.mem[old + i]
        self.next = ptr + new_size
        return ptr % (1 << 32)


def make_cx(mem, encoding, alloc):
    class RefCx(d.LiftLowerContext):
        def reallocate(self, old, old_byte_length, alignment, new_byte_length):
            return alloc(old, old_byte_length, alignment, new_byte_length)
    opts = d.LiftLowerOptions(string_encoding=encoding, memory=d.MemInst(mem, 'i32'))
    return RefCx(opts, None, None)


def flat_bits(vals, fts):
    out = []
    for v, ft in zip(vals, fts):
        if ft == 'f32' and isinstance(v, float):
            out.append(f32_bits(v))
        elif ft == 'f64' and isinstance(v, float):
            out.append(f64_bits(v))
        else:
            out.append(v)
    return out


def flat_python(bits, fts):
    out = []
    for b, ft in zip(bits, fts):
        if ft == 'f32':
            out.append(struct.unpack('<f', struct.pack('<I', b))[0])
        elif ft == 'f64':
            out.append(struct.unpack('<d', struct.pack('<Q', b))[0])
        else:
            out.append(b)
    return out


def values_tokens(ts, vs):
    out = ['V']
    for t, v in zip(ts, vs):
        value_tokens(t, v, out)
    return out


def effects_tokens(flat, mem, calls):
    out = ['R', str(len(flat))] + [str(f) for f in flat] + ['M', bytes(mem).hex(), 'C', str(len(calls))]
    for c in calls:
        out.extend(str(x) for x in c)
    return out


# ------------------------------------------------------------------------------------------ cases

class Case:
    def __init__(self, cid, op):
        self.id, self.op = str(cid), op
        self.encoding, self.fused = 'utf8', 0
        self.mem_size, self.heap, self.bad_call, self.bad_value, self.ptr, self.max_flat = 0, 0, -1, 0, 0, 16
        self.types, self.values, self.flat = [], [], []
        self.mem_spec = ['hex', '-']
        self.extra = []
        self.expected = None  # tokens

    def line(self):
        toks = [self.id, self.op, self.encoding, str(self.fused), str(self.mem_size), str(self.heap),
                str(self.bad_call), str(self.bad_value), str(self.ptr), str(self.max_flat), str(len(self.types))]
        for t in self.types:
            type_tokens(t, toks)
        toks.append(str(len(self.values)))
        for t, v in zip(self.types, self.values):
            value_tokens(t, v, toks)
        toks.append(str(len(self.flat)))
        toks.extend(str(f) for f in self.flat)
        toks.extend(self.mem_spec)
        toks.extend(self.extra)
        return ' '.join(toks)


def pick_realloc_fault(g, case):
    r = g.r
    if r.random() < 0.85:
        return
    case.bad_call = r.randint(0, 3)
    case.bad_value = r.choice([0xffffffff, 0xfffffffc, case.mem_size, case.mem_size - 1, case.mem_size - 2,
                               1, 2, 3, case.mem_size // 2 + 1, r.getrandbits(32)])


def run_reference(case, steps):
    """Runs steps(cx, alloc, mem) -> tokens on a fresh memory; a Trap in the first step gives ['T']."""
    mem = fill_memory(case.mem_size, int(case.mem_spec[1])) if case.mem_spec[0] == 'fill' else \
        bytearray(bytes.fromhex(case.mem_spec[1]) if case.mem_spec[1] != '-' else b'')
    alloc = Allocator(mem, case.heap, case.bad_call, case.bad_value)
    cx = make_cx(mem, case.encoding, alloc)
    return steps(cx, alloc, mem)


def lift_tokens(fn):
    try:
        return fn()
    except d.Trap:
        return ['T']


def gen_store(g, cid):
    r = g.r
    c = Case(cid, 'store')
    t = g.type(r.choice([1, 2, 3, 4]))
    c.types, c.values = [t], [g.value(t)]
    c.encoding = r.choice(['utf8', 'utf16', 'latin1+utf16'])
    c.mem_size = r.choice([512, 1024, 4096, 4096])
    c.heap = 128
    size, align = d.elem_size(t, 'i32'), d.alignment(t, 'i32')
    if size > 128:
        c.heap = (size + 64) // 8 * 8
        c.mem_size = max(c.mem_size, c.heap + 1024)
    c.ptr = r.randint(0, (c.heap - size) // align) * align
    c.mem_spec = ['fill', str(r.randint(0, 255))]
    pick_realloc_fault(g, c)

    def steps(cx, alloc, mem):
        try:
            d.store(cx, c.values[0], t, c.ptr)
        except d.Trap:
            return ['T']
        out = effects_tokens([], mem, alloc.calls) + ['L']
        return out + lift_tokens(lambda: values_tokens([t], [d.load(cx, c.ptr, t)]))
    c.expected = run_reference(c, steps)
    return c


def gen_flat(g, cid):
    r = g.r
    c = Case(cid, 'flat')
    n = r.choice([1, 1, 2, 3, 5, 9, 17])
    c.types = [g.type(r.choice([0, 1, 2, 3])) for _ in range(n)]
    c.values = [g.value(t) for t in c.types]
    c.max_flat = r.choice([16, 16, 1])
    c.encoding = r.choice(['utf8', 'utf16', 'latin1+utf16'])
    c.mem_size, c.heap = r.choice([1024, 4096, 8192]), 64
    c.mem_spec = ['fill', str(r.randint(0, 255))]
    pick_realloc_fault(g, c)

    def steps(cx, alloc, mem):
        try:
            flat = d.lower_flat_values(cx, c.max_flat, c.values, c.types)
        except d.Trap:
            return ['T']
        fts = d.flatten_types(c.types, cx.opts)
        if len(fts) > c.max_flat:
            fts = ['i32']
        out = effects_tokens(flat_bits(flat, fts), mem, alloc.calls) + ['L']
        return out + lift_tokens(lambda: values_tokens(
            c.types, d.lift_flat_values(cx, c.max_flat, d.CoreValueIter(flat), c.types)))
    c.expected = run_reference(c, steps)
    return c


def gen_string(g, cid):
    r = g.r
    c = Case(cid, 'string')
    text = g.text()
    c.encoding = r.choice(['utf8', 'utf16', 'latin1+utf16'])
    sources = ['utf8', 'utf16', 'tagged']
    if all(ord(ch) < 256 for ch in text):
        sources.append('latin1')
    src = r.choice(sources)
    utf16_units = len(text.encode('utf-16-le')) // 2
    if src == 'utf8':
        value, extra = (text, 'utf8', len(text.encode('utf-8'))), ['utf8', '0']
    elif src == 'utf16':
        value, extra = (text, 'utf16', utf16_units), ['utf16', '0']
    elif src == 'latin1':
        value, extra = (text, 'latin1+utf16', len(text)), ['latin1+utf16', '0']
    else:
        value, extra = (text, 'latin1+utf16', utf16_units | (1 << 31)), ['latin1+utf16', '1']
    c.extra = extra + ['s:' + text.encode('utf-8').hex()]
    c.mem_size, c.heap = r.choice([256, 1024]), 16
    c.mem_spec = ['fill', str(r.randint(0, 255))]
    pick_realloc_fault(g, c)

    def steps(cx, alloc, mem):
        try:
            ptr, units = d.store_string_into_range(cx, value)
        except d.Trap:
            return ['T']
        out = effects_tokens([ptr, units], mem, alloc.calls) + ['L']
        return out + lift_tokens(lambda: ['V', 's:' + d.load_string_from_range(cx, ptr, units)[0].encode('utf-8').hex()])
    c.expected = run_reference(c, steps)
    return c


def gen_adapt(g, cid):
    r = g.r
    c = Case(cid, 'adapt')
    n = r.choice([1, 1, 2, 3, 17])
    c.types = [g.type(r.choice([0, 1, 2, 3])) for _ in range(n)]
    c.max_flat = r.choice([16, 16, 1])
    src_encoding = r.choice(['utf8', 'utf16', 'latin1+utf16'])
    c.encoding = r.choice(['utf8', 'utf16', 'latin1+utf16'])
    c.extra = [src_encoding]
    c.mem_size = 8192
    mem = fill_memory(c.mem_size, r.randint(0, 255))
    alloc = Allocator(mem, 64, -1, 0)
    src_cx = make_cx(mem, src_encoding, alloc)
    try:
        flat = d.lower_flat_values(src_cx, c.max_flat, [g.value(t) for t in c.types], c.types)
    except d.Trap:
        return None
    fts = d.flatten_types(c.types, src_cx.opts)
    if len(fts) > c.max_flat:
        fts = ['i32']
    c.flat = flat_bits(flat, fts)
    c.heap = (alloc.next + 7) // 8 * 8
    c.mem_spec = ['hex', bytes(mem).hex()]
    pick_realloc_fault(g, c)

    def steps(cx, alloc, mem):
        src = make_cx(mem, src_encoding, alloc)
        try:
            vals = d.lift_flat_values(src, c.max_flat, d.CoreValueIter(flat_python(c.flat, fts)), c.types)
            out_flat = d.lower_flat_values(cx, c.max_flat, vals, c.types)
        except d.Trap:
            return ['T']
        dst_fts = d.flatten_types(c.types, cx.opts)
        if len(dst_fts) > c.max_flat:
            dst_fts = ['i32']
        out = effects_tokens(flat_bits(out_flat, dst_fts), mem, alloc.calls) + ['L']
        return out + lift_tokens(lambda: values_tokens(
            c.types, d.lift_flat_values(cx, c.max_flat, d.CoreValueIter(out_flat), c.types)))
    c.expected = run_reference(c, steps)
    return c


def corrupt(g, mem, regions):
    r = g.r
    for _ in range(r.choice([0, 1, 1, 2, 3])):
        lo, hi = r.choice(regions)
        if hi <= lo:
            continue
        i = r.randrange(lo, hi)
        mem[i] = r.choice([0, 1, 2, 3, 0x7f, 0x80, 0xc3, 0xd8, 0xdc, 0xed, 0xf4, 0xff, r.getrandbits(8)])


def valid_image(g, c, t, v):
    """Memory with `v` stored at c.ptr by definitions.py (fresh allocator), or None if that trapped."""
    mem = fill_memory(c.mem_size, g.r.randint(0, 255))
    alloc = Allocator(mem, c.heap, -1, 0)
    cx = make_cx(mem, c.encoding, alloc)
    try:
        d.store(cx, v, t, c.ptr)
    except d.Trap:
        return None, alloc
    return mem, alloc


def gen_load(g, cid):
    r = g.r
    c = Case(cid, 'load')
    t = g.type(r.choice([1, 2, 3]))
    c.types = [t]
    c.encoding = r.choice(['utf8', 'utf16', 'latin1+utf16'])
    c.fused = r.choice([0, 1])
    size, align = d.elem_size(t, 'i32'), d.alignment(t, 'i32')
    c.heap = max(64, (size + 64) // 8 * 8)
    c.mem_size = c.heap + r.choice([256, 1024])
    c.ptr = r.randint(0, (c.heap - size) // align) * align
    mem, alloc = valid_image(g, c, t, g.value(t))
    if mem is None or r.random() < 0.05:
        mem = bytearray(r.getrandbits(8) for _ in range(c.mem_size))
    corrupt(g, mem, [(c.ptr, c.ptr + size), (c.heap, min(alloc.next, c.mem_size))])
    c.mem_spec = ['hex', bytes(mem).hex() or '-']
    c.expected = run_reference(c, lambda cx, alloc, mem: lift_tokens(lambda: values_tokens([t], [d.load(cx, c.ptr, t)])))
    return c


def hostile_flat(g, c, bits, fts):
    r = g.r
    out = list(bits)
    for _ in range(r.choice([0, 1, 1, 2])):
        if not out:
            break
        i = r.randrange(len(out))
        ft = fts[i]
        if ft == 'i32':
            out[i] = r.choice([0, 1, 2, 3, 255, 256, 0xd800, 0x110000, 1 << 31, (1 << 31) | 3, 0xffffffff,
                               c.mem_size - 1, c.mem_size, c.heap + 1, r.getrandbits(32)])
        elif ft == 'i64':
            out[i] = r.choice([0, 1, 1 << 32, (1 << 32) | 2, 0xffffffffffffffff, r.getrandbits(64)])
        elif ft == 'f32':
            out[i] = r.choice([0x7f800001, 0xffc00000, r.getrandbits(32)])
        else:
            out[i] = r.choice([0x7ff0000000000001, r.getrandbits(64)])
    return out


def gen_lift(g, cid):
    r = g.r
    c = Case(cid, 'lift')
    n = r.choice([1, 1, 2, 3, 17])
    c.types = [g.type(r.choice([0, 1, 2, 3])) for _ in range(n)]
    c.max_flat = r.choice([16, 16, 1])
    c.encoding = r.choice(['utf8', 'utf16', 'latin1+utf16'])
    c.fused = r.choice([0, 1])
    c.mem_size, c.heap = r.choice([1024, 4096]), 64
    mem = fill_memory(c.mem_size, r.randint(0, 255))
    alloc = Allocator(mem, c.heap, -1, 0)
    cx = make_cx(mem, c.encoding, alloc)
    values = [g.value(t) for t in c.types]
    try:
        flat = d.lower_flat_values(cx, c.max_flat, values, c.types)
    except d.Trap:
        return None
    fts = d.flatten_types(c.types, cx.opts)
    if len(fts) > c.max_flat:
        fts = ['i32']
    bits = hostile_flat(g, c, flat_bits(flat, fts), fts)
    c.flat = bits
    corrupt(g, mem, [(c.heap, min(alloc.next, c.mem_size))])
    c.mem_spec = ['hex', bytes(mem).hex() or '-']
    c.expected = run_reference(c, lambda cx, alloc, mem: lift_tokens(lambda: values_tokens(
        c.types, d.lift_flat_values(cx, c.max_flat, d.CoreValueIter(flat_python(bits, fts)), c.types))))
    return c


# ------------------------------------------------------------------------------------------ main

def normalise(tokens):
    """Trap messages are airwasm's own (definitions.py has none): keep only the fact of the trap."""
    return tokens[:tokens.index('T') + 1] if 'T' in tokens else tokens


def main():
    global d
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--driver', required=True)
    ap.add_argument('--defs', required=True, help='the folder holding definitions.py')
    ap.add_argument('--seed', default=os.environ.get('AIRWASM_CANON_DIFF_SEED', '1'))
    ap.add_argument('--cases', type=int, default=int(os.environ.get('AIRWASM_CANON_DIFF_CASES', '5000')))
    ap.add_argument('--show', type=int, default=5, help='failures to print in full')
    args = ap.parse_args()
    seed = int(time.time()) if args.seed == 'random' else int(args.seed)

    sys.path.insert(0, args.defs)
    sys.setrecursionlimit(10000)
    import definitions
    d = definitions
    d.DETERMINISTIC_PROFILE = True  # lowered NaNs are the canonical NaN (airwasm never scrambles them)
    setup_prims()

    g = Gen(random.Random(seed))
    kinds = [('store', gen_store, 25), ('flat', gen_flat, 20), ('string', gen_string, 15), ('adapt', gen_adapt, 10),
             ('load', gen_load, 20), ('lift', gen_lift, 10)]
    cases = []
    counts = {k: 0 for k, _, _ in kinds}
    errors = []
    start = time.time()
    while len(cases) < args.cases:
        op, gen, _ = g.r.choices(kinds, weights=[w for _, _, w in kinds])[0]
        try:
            c = gen(g, len(cases))
        except d.Trap:
            c = None
        except (AssertionError, Exception) as e:  # definitions.py's own asserts: a generator bug
            errors.append(f'generator/reference error in {op}: {type(e).__name__}: {e}')
            c = None
        if c is None:
            continue
        cases.append(c)
        counts[op] += 1
    t_ref = time.time() - start

    proc = subprocess.run([args.driver], input='\n'.join(c.line() for c in cases) + '\n', capture_output=True,
                          text=True)
    if proc.returncode != 0:
        print(f'canon_diff: driver exited with {proc.returncode}: {proc.stderr[:2000]}')
        return 1
    got = {}
    for line in proc.stdout.splitlines():
        toks = line.split(' ')
        got[toks[0]] = toks[1:]

    failed, traps = [], {}
    for c in cases:
        mine = got.get(c.id)
        if mine is None or normalise(mine) != c.expected:
            failed.append((c, mine))
        elif 'T' in c.expected:
            # airwasm's trap text, with the numbers of utf-8 errors and length limits left out
            text = ' '.join(mine[mine.index('T') + 1:])
            text = ' '.join(w for w in text.split(' ') if not w.isdigit())
            traps[text] = traps.get(text, 0) + 1
    print(f'canon_diff: seed {seed}: {len(cases)} cases (' + ', '.join(f'{k} {counts[k]}' for k in counts) +
          f'), {len(cases) - len(failed)} passed, {len(failed)} failed; {sum(traps.values())} of the passing cases '
          f'trapped on both sides; reference {t_ref:.1f}s')
    for text, n in sorted(traps.items(), key=lambda kv: -kv[1]):
        print(f'  {n:6} trapped: {text}')
    for c, mine in failed[:args.show]:
        print(f'--- case {c.id} ({c.op}) input:\n{c.line()[:3000]}')
        print(f'    definitions.py: {" ".join(c.expected)[:3000]}')
        print(f'    airwasm:        {" ".join(mine or ["<no output>"])[:3000]}')
    for e in errors[:5]:
        print('error:', e)
    return 1 if failed or errors else 0


if __name__ == '__main__':
    sys.exit(main())
