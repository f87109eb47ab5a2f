# Bulk throughput over loopback: one thread sends TOTAL bytes with sendall(CHUNK), another receives with recv(CHUNK).
# Usage: bulk.py TOTAL_BYTES [CHUNK]. Prints "RESULT mb_per_s <value>". Runs unchanged on Python 2.7 and 3.x.
from __future__ import print_function
import socket, sys, threading, time

clock = getattr(time, "perf_counter", time.time)

def main(argv=None, prefix=""):
    argv = argv or sys.argv
    total = int(argv[1])
    chunk = int(argv[2]) if len(argv) > 2 else 65536
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.connect(srv.getsockname())
    conn, _ = srv.accept()
    data = b"\x5a" * chunk
    state = {"got": 0, "end": 0.0}

    def receive():
        got = 0
        while got < total:
            d = conn.recv(chunk)
            if not d:
                break
            got += len(d)
        state["got"] = got
        state["end"] = clock()

    t = threading.Thread(target=receive)
    t.start()
    start = clock()
    sent = 0
    while sent < total:
        n = min(chunk, total - sent)
        cli.sendall(data if n == chunk else data[:n])
        sent += n
    t.join()
    if state["got"] != total:
        raise SystemExit("short transfer: %d of %d" % (state["got"], total))
    secs = state["end"] - start
    print("RESULT " + prefix + "mb_per_s %.3f" % (total / secs / 1e6))
    cli.close(); conn.close(); srv.close()

if __name__ == "__main__":
    main()
