# UDP datagrams/s: one thread sends BATCH datagrams of SIZE bytes (connected socket, send), then receives them
# (recv_into on the bound socket); repeated until N datagrams went through. Kernel queue never overflows.
# Usage: udp.py N SIZE. Prints "RESULT dgram_per_s <value>". Python 2.7 and 3.x.
from __future__ import print_function
import socket, sys, time

clock = getattr(time, "perf_counter", time.time)

def main():
    n = int(sys.argv[1])
    size = int(sys.argv[2])
    batch = 32
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.connect(rx.getsockname())
    msg = b"\x5a" * size
    buf = bytearray(65536)
    done = 0
    for _ in range(batch):
        tx.send(msg)
    for _ in range(batch):
        rx.recv_into(buf)
    start = clock()
    while done < n:
        for _ in range(batch):
            tx.send(msg)
        for _ in range(batch):
            if rx.recv_into(buf) != size:
                raise SystemExit("bad datagram size")
        done += batch
    secs = clock() - start
    print("RESULT dgram_per_s %.1f" % (done / secs))
    tx.close(); rx.close()

if __name__ == "__main__":
    main()
