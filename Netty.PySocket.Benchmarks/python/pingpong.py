# Request/response: N round trips of SIZE bytes between two threads (client sends, server echoes).
# Usage: pingpong.py N [SIZE] [timeout]. Prints RESULT rt_per_s / p50_us / p99_us. Python 2.7 and 3.x.
from __future__ import print_function
import socket, sys, threading, time

clock = getattr(time, "perf_counter", time.time)

def recv_exact(s, n):
    parts = []
    while n > 0:
        d = s.recv(n)
        if not d:
            raise EOFError()
        parts.append(d)
        n -= len(d)
    return b"".join(parts)

def main(argv=None, prefix=""):
    argv = argv or sys.argv
    n = int(argv[1])
    size = int(argv[2]) if len(argv) > 2 else 64
    timeout_mode = len(argv) > 3 and argv[3] == "timeout"
    warm = 200
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.connect(srv.getsockname())
    conn, _ = srv.accept()
    for s in (cli, conn):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if timeout_mode:
            s.settimeout(10.0)

    def echo():
        for _ in range(n + warm):
            conn.sendall(recv_exact(conn, size))

    t = threading.Thread(target=echo)
    t.start()
    msg = b"\x5a" * size
    for _ in range(warm):
        cli.sendall(msg)
        recv_exact(cli, size)
    lat = []
    start = clock()
    for _ in range(n):
        t0 = clock()
        cli.sendall(msg)
        recv_exact(cli, size)
        lat.append(clock() - t0)
    secs = clock() - start
    t.join()
    lat.sort()
    print("RESULT " + prefix + "rt_per_s %.1f" % (n / secs))
    print("RESULT " + prefix + "p50_us %.1f" % (lat[len(lat) // 2] * 1e6))
    print("RESULT " + prefix + "p99_us %.1f" % (lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e6))
    cli.close(); conn.close(); srv.close()

if __name__ == "__main__":
    main()
