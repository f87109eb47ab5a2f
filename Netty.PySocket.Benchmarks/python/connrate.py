# Connection rate: N sequential connect + accept + close (both ends) on loopback.
# Usage: connrate.py N. Prints "RESULT conn_per_s <value>". Python 2.7 and 3.x.
from __future__ import print_function
import socket, sys, time

clock = getattr(time, "perf_counter", time.time)

def main(argv=None, prefix=""):
    argv = argv or sys.argv
    n = int(argv[1])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(128)
    addr = srv.getsockname()
    start = clock()
    for _ in range(n):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.connect(addr)
        a, _ = srv.accept()
        c.close()
        a.close()
    secs = clock() - start
    print("RESULT " + prefix + "conn_per_s %.1f" % (n / secs))
    srv.close()

if __name__ == "__main__":
    main()
