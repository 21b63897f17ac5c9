#!/usr/bin/env python3
"""Reads `perf script` output and charges each on-CPU sample to the nearest JavaScript frame of its stack (native
code and V8 builtins to the JS function that called them), then prints the shares by package and by function.
Usage (bench/README.md): perf script -i perf.data | python3 bench/perf-attribute.py [rows] [function rows]
A function's samples are added up over its code objects and offsets (the JIT's `+0x…` and `(/tmp/jit/…)` dropped)."""
import sys,re,collections
agg=collections.Counter(); fn=collections.Counter(); total=0
def pkg(sym):
    f=re.search(r"(node_modules/(@[^/]+/[^/]+|[^/]+)|dist/src/[^:]+|node:[^:]+)",sym)
    return f.group(1) if f else "?"
def flush(stack):
    global total
    if not stack: return
    total+=1
    leaf=stack[0]
    if "[kernel" in leaf and all("[kernel" in s or "unknown" in s for s in stack):
        agg["kernel (no user stack)"]+=1; return
    for s in stack:
        if "JS:" in s:
            p=pkg(s); agg[p]+=1
            m=re.search(r"JS:\S?\S?(.*)",s); fn[re.sub(r"\+0x[0-9a-f]+.*$|\s+\(/.*$","",m.group(1))[:110]]+=1; return
    # first non-kernel frame
    agg["native: "+ (leaf.split()[1] if len(leaf.split())>1 else leaf)[:60]]+=1
stack=[]
for line in sys.stdin:
    if not line.strip():
        flush(stack); stack=[]; continue
    if line[0] not in ' \t':
        stack=[]; continue
    stack.append(line.strip())
flush(stack)
print("samples",total)
for k,v in agg.most_common(int(sys.argv[1]) if len(sys.argv)>1 else 40): print(f"{100*v/total:6.2f}  {k}")
print("--- by nearest JS function")
for k,v in fn.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 45): print(f"{100*v/total:6.2f}  {k}")
