# Per-call cost of select.select / poll.poll with N accepted sockets registered, exactly 1 readable, timeout 0.
# Clients live in a child process (this script with "clients PORT N"), so this process keeps fds < FD_SETSIZE.
# Usage: select_cost.py N CALLS. Prints RESULT select_us / poll_us. Python 2.7 and 3.x (poll where available).
from __future__ import print_function
import select, socket, subprocess, sys, time

clock = getattr(time, "perf_counter", time.time)

def clients(port, n):
    socks = []
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.connect(("127.0.0.1", port))
        socks.append(s)
    sys.stdout.write("connected\n"); sys.stdout.flush()
    sys.stdin.readline()          # wait for the parent's go
    socks[0].sendall(b"x")
    sys.stdin.readline()          # until the parent is done
    for s in socks:
        s.close()

def main():
    if sys.argv[1] == "clients":
        clients(int(sys.argv[2]), int(sys.argv[3]))
        return
    n = int(sys.argv[1])
    calls = int(sys.argv[2])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(n + 16)
    child = subprocess.Popen([sys.executable, sys.argv[0], "clients", str(srv.getsockname()[1]), str(n)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    conns = []
    for i in range(n):
        conns.append(srv.accept()[0])
    child.stdout.readline()
    # the first accepted connection is not necessarily the child's first socket: find the ready one
    child.stdin.write(b"go\n"); child.stdin.flush()
    time.sleep(0.2)
    try:
        r, _, _ = select.select(conns, [], [], 5.0)
        if len(r) != 1:
            raise SystemExit("expected 1 ready socket, got %d" % len(r))
        for _ in range(min(calls, 100)):
            select.select(conns, [], [], 0)
        start = clock()
        for _ in range(calls):
            r, _, _ = select.select(conns, [], [], 0)
        secs = clock() - start
        assert len(r) == 1
        print("RESULT select_us %.3f" % (secs / calls * 1e6))
    except ValueError as e:  # fd >= FD_SETSIZE (a .NET host process already has many fds open)
        print("SKIP select: %s" % e)
    if hasattr(select, "poll"):
        p = select.poll()
        for c in conns:
            p.register(c, select.POLLIN)
        for _ in range(min(calls, 100)):
            p.poll(0)
        start = clock()
        for _ in range(calls):
            ev = p.poll(0)
        secs = clock() - start
        assert len(ev) == 1
        print("RESULT poll_us %.3f" % (secs / calls * 1e6))
    child.stdin.write(b"done\n"); child.stdin.flush()
    child.wait()
    for c in conns:
        c.close()
    srv.close()

if __name__ == "__main__":
    main()
