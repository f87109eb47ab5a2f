# Per-call cost of the hot socket calls, in microseconds (median of 5 batches). Usage: call_cost.py [ROUNDS]
# Runs on native CPython and on CPython+ours (host `run`); with the binding it also times the layers beneath
# the public methods, so the cost splits into Python wrapper, call path and library.
import select, socket, sys, threading, time

clock = time.perf_counter
R = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def per_call(fn, rounds=R):
    fn()
    best = []
    for _ in range(5):
        t0 = clock()
        for _ in range(rounds):
            fn()
        best.append((clock() - t0) / rounds * 1e6)
    best.sort()
    return best[2]


def pair():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(200)
    a = socket.socket()
    a.connect(srv.getsockname())
    b, _ = srv.accept()
    for s in (a, b):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return srv, a, b


def main():
    rows = []
    srv, a, b = pair()
    rows.append(("fileno()", per_call(a.fileno)))
    rows.append(("gettimeout()", per_call(a.gettimeout)))
    m64, m1k, m64k = b"x" * 64, b"x" * 1024, b"x" * 65536
    buf = bytearray(65536)

    def send_recv64():
        a.send(m64)
        b.recv(64)
    rows.append(("send(64 B) + recv(64)", per_call(send_recv64)))

    def send_recvinto64():
        a.send(m64)
        b.recv_into(buf, 64)
    rows.append(("send(64 B) + recv_into(64)", per_call(send_recvinto64)))

    def sendall_1k():
        a.sendall(m1k)
        n = 0
        while n < 1024:
            n += len(b.recv(1024 - n))
    rows.append(("sendall(1 KiB) + recv", per_call(sendall_1k)))

    def sendall_64k():
        a.sendall(m64k)
        n = 0
        while n < 65536:
            n += b.recv_into(buf, 65536 - n)
    rows.append(("sendall(64 KiB) + recv_into", per_call(sendall_64k, R // 4)))

    socks = []
    for n in (10, 100):
        while len(socks) < n:
            c = socket.socket()
            c.connect(srv.getsockname())
            d, _ = srv.accept()
            socks.append((c, d))
        rl = [d for _, d in socks[:n]]
        socks[0][0].send(b"!")
        while not select.select(rl, [], [], 1.0)[0]:
            pass
        rows.append(("select(N=%d, timeout 0)" % n, per_call(lambda: select.select(rl, [], [], 0), R // 4)))
    for c, d in socks:
        c.close()
        d.close()

    # ping-pong 64 B between two threads (what pingpong.py measures)
    stop = []

    def echo():
        while True:
            d = b.recv(64)
            if not d:
                return
            b.sendall(d)
    t = threading.Thread(target=echo)
    t.start()

    def rt():
        a.sendall(m64)
        a.recv(64)
    rows.append(("ping-pong round trip 64 B", per_call(rt)))
    a.shutdown(socket.SHUT_WR)
    t.join()
    a.close(); b.close()

    binding = sys.modules["_socket"]
    if hasattr(binding, "_layers"):
        rows += binding._layers(per_call)
    for name, us in rows:
        print("COST %-34s %9.2f us" % (name, us))
    srv.close()


main()
