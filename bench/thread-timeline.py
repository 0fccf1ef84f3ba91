#!/usr/bin/env python3
# Per-thread CPU of a process over time, read from /proc/PID/task every W seconds (no JVM agent, so the run is not
# slowed): bench/thread-timeline.py [-w 0.05] -- ./natrecon analyze --lan L --wan W -o OUT
# Each line: time since launch, the process's share of the machine (100 % = every core), the five busiest threads.
import os, sys, time, subprocess, collections
W=0.05
a=sys.argv[1:]
if a[0]=='-w': W=float(a[1]); a=a[2:]
if a[0]=='--': a=a[1:]
tck=os.sysconf('SC_CLK_TCK')
t0=time.time(); p=subprocess.Popen(a, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
prev={}; rows=[]
def names(pid):
    out={}
    try: tids=os.listdir(f'/proc/{pid}/task')
    except FileNotFoundError: return out
    for t in tids:
        try:
            s=open(f'/proc/{pid}/task/{t}/stat').read(); c=open(f'/proc/{pid}/task/{t}/comm').read().strip()
        except (FileNotFoundError, ProcessLookupError): continue
        f=s[s.rfind(')')+2:].split()
        out[t]=(c, int(f[11])+int(f[12]))
    return out
while p.poll() is None:
    now=time.time()-t0; cur=names(p.pid); d=collections.Counter()
    for t,(c,v) in cur.items():
        d[c.replace('natrecon-','')[:10]]+=v-prev.get(t,0); prev[t]=v
    rows.append((now,d)); time.sleep(W)
end=time.time()-t0
print('wall %.2f'%end)
last=0
for now,d in rows:
    dt=now-last; last=now
    if dt<=0: continue
    tot=sum(d.values())/tck/dt
    print('%5.2f %4.0f%% '%(now,tot*50)+' '.join('%s:%.0f'%(n,v/tck/dt*50) for n,v in d.most_common(5) if v>0))
