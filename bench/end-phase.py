#!/usr/bin/env python3
# The end of an analyze run (writing, charts): from the decoding threads' last CPU tick to exit, read from
# /proc every 20 ms. Prints the whole wall clock, the end's wall clock, the run's CPU and the CPU spent in the end.
# bench/end-phase.py ./natrecon analyze --lan L --wan W -o OUT
import os, sys, time, subprocess
a=sys.argv[1:]
tck=os.sysconf('SC_CLK_TCK')
t0=time.time(); p=subprocess.Popen(a, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
dec={}; lastdec=0; tot={}; at_lastdec=0
while p.poll() is None:
    now=time.time()-t0; s_all=0
    try: tids=os.listdir(f'/proc/{p.pid}/task')
    except FileNotFoundError: break
    for t in tids:
        try:
            s=open(f'/proc/{p.pid}/task/{t}/stat').read(); c=open(f'/proc/{p.pid}/task/{t}/comm').read()
        except (FileNotFoundError, ProcessLookupError): continue
        f=s[s.rfind(')')+2:].split(); v=int(f[11])+int(f[12]); tot[t]=v
        if c.startswith('natrecon-decod'):
            if dec.get(t,-1)!=v: dec[t]=v; lastdec=now
    if lastdec==now: at_lastdec=sum(tot.values())
    time.sleep(0.02)
end=time.time()-t0
import resource
r=resource.getrusage(resource.RUSAGE_CHILDREN)
cpu=r.ru_utime+r.ru_stime
if not dec:
    print('wall %.2f cpu %.2f (no decoding thread: a capture below 1 MiB is decoded inline)'%(end, cpu))
else:
    print('wall %.2f end %.2f cpu %.2f endcpu~%.2f'%(end, end-lastdec, cpu, cpu-at_lastdec/tck))
