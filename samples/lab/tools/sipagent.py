#!/usr/bin/env python3
"""Scripted SIP phone and registrar for the natrecon lab (REGISTER / OPTIONS only).

SIPp answers the first source address it saw for a Call-ID, which hides what
a NAT did when it changes the phone's external port. This tool behaves like a
real registrar instead: every response goes to the source address of the
request it answers, the registrar records that source as the phone's binding
(as registrars with rport / "nat=yes" do) and its pings (OPTIONS) go to the
binding as last seen.

  sipagent.py phone --local IP:PORT --server IP:PORT --user 1001 \\
      --steps "0:REGISTER 3:OPTIONS 9:CRLF 21:REGISTER" --end 30 [--t0 EPOCH] [--transport tcp]
  (TCP: the steps CLOSE (close the connection: FIN), ABORT (close it with a
  RST: SO_LINGER 0) and CONNECT (connect again from the same local address
  and port) reopen the connection)
  sipagent.py registrar --local IP:PORT --end 30 [--t0 EPOCH] [--ping "15:1001 25:1001"] [--tcp]
      [--rfc3261-received]

The registrar's responses carry the request's top Via with received= (the
source address it came from) and rport= (its source port) when that Via asked
for rport (RFC 3581 4: received even when it equals the sent-by). With
--rfc3261-received a Via without rport gets received= when its sent-by host
differs from the source address (RFC 3261 18.2.1); the phone's --no-rport
sends such a Via.

Step times are seconds after --t0 (default: the tool's start). A request is
retransmitted after 0.5, 1 and 2 s (RFC 3261 timer A) until a response
arrives. The phone answers OPTIONS with 200 OK. Each tool writes one log line
per event to stdout ("t=SECONDS EVENT ..."), with t relative to --t0.
Standard library only.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

RETRANS = (0.5, 1.0, 2.0)


def hostport(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


class Clock:
    def __init__(self, t0):
        self.t0 = t0 if t0 else time.time()

    def now(self):
        return time.time() - self.t0

    def sleep_until(self, t):
        d = self.t0 + t - time.time()
        if d > 0:
            time.sleep(d)


def log(clock, text):
    print("t=%.3f %s" % (clock.now(), text), flush=True)


def parse(data):
    text = data.decode("latin-1")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    hdrs = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        hdrs.append((name.strip(), value.strip()))
    return lines[0], hdrs, body


def hget(hdrs, name):
    for k, v in hdrs:
        if k.lower() == name.lower():
            return v
    return None


def build(first, hdrs, body=""):
    out = [first] + ["%s: %s" % kv for kv in hdrs] + ["Content-Length: %d" % len(body), "", body]
    return "\r\n".join(out).encode("latin-1")


def via_sent_by_host(via):
    """The host of a Via value's sent-by ("SIP/2.0/UDP host:port;params" -> host; IPv6 brackets kept off)."""
    sent_by = via.split(None, 1)[-1].split(";", 1)[0].strip()
    if sent_by.startswith("["):
        return sent_by[1:sent_by.find("]")]
    return sent_by.rsplit(":", 1)[0] if sent_by.count(":") == 1 else sent_by


def response(req_hdrs, code, reason, src, extra=(), rfc3261_received=False):
    hdrs = []
    for k, v in req_hdrs:
        kl = k.lower()
        if kl == "via" and not any(x[0].lower() == "via" for x in hdrs):
            # RFC 3581 4: with rport, record where the request came from (received even when equal to sent-by)
            if ";rport" in v and ";rport=" not in v:
                v = v.replace(";rport", ";received=%s;rport=%d" % src, 1)
            elif rfc3261_received and ";received=" not in v and via_sent_by_host(v) != src[0]:
                # RFC 3261 18.2.1: without rport, received only when the source differs from the sent-by host
                v += ";received=%s" % src[0]
            hdrs.append(("Via", v))
        elif kl in ("from", "call-id", "cseq"):
            hdrs.append((k, v))
        elif kl == "to":
            hdrs.append((k, v if ";tag=" in v else v + ";tag=nrlab-reg"))
    hdrs.extend(extra)
    hdrs.append(("Server", "natrecon-lab-registrar"))
    return build("SIP/2.0 %d %s" % (code, reason), hdrs)


class Transport:
    """UDP socket, or one TCP connection (phone) / listener (registrar)."""

    def __init__(self, local, tcp, clock, server=None):
        self.tcp, self.clock, self.conns, self.buf = tcp, clock, {}, {}
        if tcp:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(local)
        self.local = local
        self.listening = tcp and server is None
        self.closed = False
        if self.listening:
            self.sock.listen(8)

    def close(self, server, abort=False):
        """Phone (TCP): close the connection (FIN, or RST when abort); recv() waits idle until reconnect()."""
        c = self.conns.pop(server, None)
        self.buf.pop(server, None)
        if c is not None:
            if abort:
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
        self.closed = True
        log(self.clock, "tcp %s %s:%d -> %s:%d" % (("aborted (RST)" if abort else "closed",) + self.local + server))

    def reconnect(self, server, timeout):
        """Phone (TCP): a new connection from the same local address and port."""
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(self.local)
        self.closed = False
        return self.connect(server, timeout)

    def connect(self, server, timeout):
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(server)
        except OSError as e:
            log(self.clock, "tcp connect to %s:%d failed: %s" % (server + (e,)))
            return False
        self.sock.settimeout(None)
        self.conns[server] = self.sock
        self.buf[server] = b""
        log(self.clock, "tcp connected %s:%d -> %s:%d" % (self.sock.getsockname() + server))
        return True

    def send(self, data, dest):
        try:
            if self.tcp:
                self.conns[dest].sendall(data)
            else:
                self.sock.sendto(data, dest)
            return True
        except (OSError, KeyError) as e:
            log(self.clock, "send to %s:%d failed: %s" % (dest + (e,)))
            return False

    def recv(self, timeout):
        """Return a list of (data, src) within timeout."""
        if self.closed:
            time.sleep(max(0.0, timeout))
            return []
        socks = [self.sock] + [c for c in self.conns.values() if c is not self.sock]
        r, _, _ = select.select(socks, [], [], max(0.0, timeout))
        out = []
        for s in r:
            if s is self.sock and not self.tcp:
                try:
                    data, src = s.recvfrom(65535)
                except OSError as e:
                    log(self.clock, "recv error: %s" % e)
                    continue
                out.append((data, src))
            elif s is self.sock and self.listening:
                c, src = s.accept()
                self.conns[src] = c
                self.buf[src] = b""
                log(self.clock, "tcp accepted from %s:%d" % src)
            else:
                src = next(k for k, v in self.conns.items() if v is s)
                try:
                    data = s.recv(65535)
                except OSError as e:
                    log(self.clock, "tcp error from %s:%d: %s" % (src + (e,)))
                    data = b""
                if not data:
                    log(self.clock, "tcp closed by %s:%d" % src)
                    del self.conns[src]
                    s.close()   # our FIN: the connection closes both ways
                    if s is self.sock:
                        self.closed = True
                    continue
                self.buf[src] += data
                while b"\r\n\r\n" in self.buf[src]:
                    head, _, rest = self.buf[src].partition(b"\r\n\r\n")
                    n = 0
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:"):
                            n = int(line.split(b":", 1)[1])
                    if len(rest) < n:
                        break
                    out.append((head + b"\r\n\r\n" + rest[:n], src))
                    self.buf[src] = rest[n:]
        return out


def run_phone(a, clock):
    local, server = hostport(a.local), hostport(a.server)
    tr = Transport(local, a.transport == "tcp", clock, server)
    proto = a.transport.upper()
    cseq = 0
    steps = []
    for item in a.steps.split():
        t, _, what = item.partition(":")
        steps.append((float(t), what.upper()))
    pending = None  # (cseq, method, data, next_retrans_index, next_time)
    if tr.tcp:
        clock.sleep_until(steps[0][0] if steps else 0)
        if not tr.connect(server, a.connect_timeout):
            tr = None
    while True:
        now = clock.now()
        if now >= a.end:
            break
        if tr is None:
            time.sleep(min(0.1, a.end - now))
            continue
        if steps and now >= steps[0][0]:
            _, what = steps.pop(0)
            if what in ("CLOSE", "ABORT") and tr.tcp:
                if pending:
                    log(clock, "gave up %s cseq=%d (no response)" % (pending[1], pending[0]))
                    pending = None
                tr.close(server, abort=(what == "ABORT"))
                continue
            if what == "CONNECT" and tr.tcp:
                tr.reconnect(server, a.connect_timeout)
                continue
            if what == "CRLF":
                if tr.send(b"\r\n\r\n", server):
                    log(clock, "sent CRLF keep-alive to %s:%d" % server)
                continue
            cseq += 1
            branch = "z9hG4bK-nrlab-%s-%d" % (what.lower()[:3], cseq)
            ruri = "sip:%s:%d" % server if what == "REGISTER" else "sip:%s@%s:%d" % ((a.user,) + server)
            hdrs = [("Via", "SIP/2.0/%s %s:%d;branch=%s%s" % ((proto,) + local + (branch, "" if a.no_rport else ";rport"))),
                    ("Max-Forwards", "70"),
                    ("From", "<sip:%s@%s>;tag=nrlab-%s" % (a.user, server[0], a.user)),
                    ("To", "<sip:%s@%s>" % (a.user if what == "REGISTER" else "ping", server[0])),
                    ("Call-ID", a.call_id),
                    ("CSeq", "%d %s" % (cseq, what)),
                    ("Contact", "<sip:%s@%s:%d%s>" % ((a.user,) + local + (";transport=tcp" if tr.tcp else "",)))]
            if what == "REGISTER":
                hdrs.append(("Expires", str(a.expires)))
            hdrs.append(("User-Agent", "natrecon-lab-phone"))
            data = build("%s %s SIP/2.0" % (what, ruri), hdrs)
            if pending:
                log(clock, "gave up %s cseq=%d (no response)" % (pending[1], pending[0]))
            if tr.send(data, server):
                log(clock, "sent %s cseq=%d to %s:%d" % ((what, cseq) + server))
            pending = [cseq, what, data, 0, clock.now() + RETRANS[0]]
            continue
        wake = [a.end]
        if steps:
            wake.append(steps[0][0])
        if pending:
            wake.append(pending[4])
        for data, src in tr.recv(min(wake) - now):
            first, hdrs, _ = parse(data)
            if first.startswith("SIP/2.0 "):
                cs = (hget(hdrs, "CSeq") or "0 ?").split()
                log(clock, "recv %s (%s cseq=%s) from %s:%d" % ((first[8:], cs[1], cs[0]) + src))
                if pending and int(cs[0]) == pending[0]:
                    pending = None
            elif data.strip():
                method = first.split(" ")[0]
                log(clock, "recv %s from %s:%d" % ((method,) + src))
                if method in ("OPTIONS", "NOTIFY"):
                    if tr.send(response(hdrs, 200, "OK", src), src):
                        log(clock, "sent 200 OK (%s) to %s:%d" % ((method,) + src))
        if pending and clock.now() >= pending[4]:
            if pending[3] < len(RETRANS) and not tr.tcp:
                tr.send(pending[2], server)
                log(clock, "retransmitted %s cseq=%d" % (pending[1], pending[0]))
                pending[3] += 1
                pending[4] = clock.now() + (RETRANS[pending[3]] if pending[3] < len(RETRANS) else 4.0)
            else:
                log(clock, "gave up %s cseq=%d (no response)" % (pending[1], pending[0]))
                pending = None
    if pending:
        log(clock, "gave up %s cseq=%d (no response)" % (pending[1], pending[0]))
    log(clock, "end")


def run_registrar(a, clock):
    local = hostport(a.local)
    tr = Transport(local, a.tcp, clock)
    bindings = {}
    pings = []
    for item in (a.ping or "").split():
        t, _, user = item.partition(":")
        pings.append((float(t), user))
    pending = None
    n = 0
    while True:
        now = clock.now()
        if now >= a.end:
            break
        if pings and now >= pings[0][0]:
            _, user = pings.pop(0)
            b = bindings.get(user)
            if not b:
                log(clock, "ping %s: no binding" % user)
                continue
            n += 1
            hdrs = [("Via", "SIP/2.0/%s %s:%d;branch=z9hG4bK-nrlab-ping-%d;rport" % (("TCP" if a.tcp else "UDP",) + local + (n,))),
                    ("Max-Forwards", "70"),
                    ("From", "<sip:registrar@%s>;tag=nrlab-registrar" % local[0]),
                    ("To", "<sip:%s@%s>" % (user, local[0])),
                    ("Call-ID", "nrlab-ping-%d@%s" % (n, local[0])),
                    ("CSeq", "%d OPTIONS" % n),
                    ("Contact", "<sip:registrar@%s:%d>" % local)]
            data = build("OPTIONS sip:%s@%s:%d SIP/2.0" % ((user,) + b), hdrs)
            if tr.send(data, b):
                log(clock, "sent OPTIONS cseq=%d to %s binding %s:%d" % ((n, user) + b))
            pending = [n, data, b, 0, clock.now() + RETRANS[0]]
            continue
        wake = [a.end]
        if pings:
            wake.append(pings[0][0])
        if pending:
            wake.append(pending[4])
        for data, src in tr.recv(min(wake) - now):
            if not data.strip():
                log(clock, "recv CRLF keep-alive from %s:%d" % src)
                continue
            first, hdrs, _ = parse(data)
            if first.startswith("SIP/2.0 "):
                cs = (hget(hdrs, "CSeq") or "0 ?").split()
                log(clock, "recv %s (%s cseq=%s) from %s:%d" % ((first[8:], cs[1], cs[0]) + src))
                if pending and int(cs[0]) == pending[0]:
                    pending = None
                continue
            method = first.split(" ")[0]
            log(clock, "recv %s from %s:%d (Contact %s)" % ((method,) + src + (hget(hdrs, "Contact"),)))
            if method == "REGISTER":
                user = (hget(hdrs, "To") or "").split("sip:", 1)[-1].split("@", 1)[0]
                exp = hget(hdrs, "Expires") or "3600"
                if bindings.get(user) != src:
                    log(clock, "binding %s: %s -> %s:%d" % ((user, "%s:%d" % bindings[user] if user in bindings else "none") + src))
                bindings[user] = src
                extra = [("Contact", "%s;expires=%s" % (hget(hdrs, "Contact"), exp)), ("Expires", exp)]
                if tr.send(response(hdrs, 200, "OK", src, extra, a.rfc3261_received), src):
                    log(clock, "sent 200 OK (REGISTER) to %s:%d" % src)
            elif method == "OPTIONS":
                if tr.send(response(hdrs, 200, "OK", src, rfc3261_received=a.rfc3261_received), src):
                    log(clock, "sent 200 OK (OPTIONS) to %s:%d" % src)
            elif method != "ACK":
                tr.send(response(hdrs, 501, "Not Implemented", src, rfc3261_received=a.rfc3261_received), src)
        if pending and clock.now() >= pending[4]:
            if pending[3] < len(RETRANS) and not a.tcp:
                tr.send(pending[1], pending[2])
                log(clock, "retransmitted OPTIONS cseq=%d" % pending[0])
                pending[3] += 1
                pending[4] = clock.now() + (RETRANS[pending[3]] if pending[3] < len(RETRANS) else 4.0)
            else:
                log(clock, "gave up OPTIONS cseq=%d (no response)" % pending[0])
                pending = None
    for user, b in sorted(bindings.items()):
        log(clock, "final binding %s %s:%d" % ((user,) + b))
    log(clock, "end")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="role", required=True)
    ph = sub.add_parser("phone")
    ph.add_argument("--local", required=True)
    ph.add_argument("--server", required=True)
    ph.add_argument("--user", default="1001")
    ph.add_argument("--call-id", default=None)
    ph.add_argument("--expires", type=int, default=60)
    ph.add_argument("--steps", required=True, help='"T:REGISTER T:OPTIONS T:CRLF ..."')
    ph.add_argument("--transport", choices=("udp", "tcp"), default="udp")
    ph.add_argument("--connect-timeout", type=float, default=4.0)
    ph.add_argument("--no-rport", action="store_true",
                    help="a Via without rport (RFC 3581 not asked for): the registrar answers by RFC 3261 alone")
    rg = sub.add_parser("registrar")
    rg.add_argument("--local", required=True)
    rg.add_argument("--ping", help='"T:USER ...": OPTIONS to USER\'s binding at T')
    rg.add_argument("--tcp", action="store_true")
    rg.add_argument("--rfc3261-received", action="store_true",
                    help="also add received= to a Via without rport when its sent-by host differs from the "
                         "request's source (RFC 3261 18.2.1); default off, so existing samples stay the same")
    for sp in (ph, rg):
        sp.add_argument("--end", type=float, required=True, help="stop at this time (s after t0)")
        sp.add_argument("--t0", type=float, default=0.0, help="epoch the step times count from")
        sp.add_argument("--pidfile")
    a = p.parse_args()
    if a.pidfile:
        with open(a.pidfile, "w") as f:
            f.write("%d\n" % os.getpid())
    clock = Clock(a.t0)
    if a.role == "phone":
        if not a.call_id:
            a.call_id = "nrlab-reg-%s@%s" % (a.user, hostport(a.local)[0])
        run_phone(a, clock)
    else:
        run_registrar(a, clock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
