using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Netty.PySocket.Select;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>What an echo run moved and verified.</summary>
public sealed record EchoOutcome(int Connections, int Verified, int Mismatched, int Failed, int Unfinished, long BytesEchoed, TimeSpan Elapsed,
    List<string> Errors);

/// <summary>
/// Every client sends <c>bytesPerConnection</c> bytes, its server end echoes them back, the client checks the
/// SHA-256 of what came back against what it sent. All connections at once, on one thread: non-blocking sockets
/// driven by one level-triggered epoll, so the thread count does not grow with the connection count.
/// </summary>
public static class EchoLoad
{
    const int Chunk = 32 * 1024;
    const int ReadsPerEvent = 4;

    sealed class Client(SoakStream s, int offset)
    {
        public readonly SoakStream S = s;
        public readonly int Offset = offset;
        public long Sent, Received;
        public readonly IncrementalHash SentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public readonly IncrementalHash ReceivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public int Interest;
        public bool Done;
        public Server Peer = null!;
    }

    sealed class Server(SoakStream s)
    {
        public readonly SoakStream S = s;
        public byte[]? Pending;
        public int PendingStart, PendingEnd;
        public int Interest;
        public bool Eof, Done;
    }

    public static EchoOutcome Run(IReadOnlyList<(SoakStream Client, SoakStream Server)> pairs, long bytesPerConnection, TimeSpan limit)
    {
        var clients = new Dictionary<int, Client>();
        var servers = new Dictionary<int, Server>();
        var errors = new List<string>();
        using var ep = new EpollObject();
        for (int i = 0; i < pairs.Count; i++)
        {
            var (cs, ss) = pairs[i];
            var srv = new Server(ss) { Interest = POLLIN };
            var cl = new Client(cs, (int)(i * 4099L % Payload.BlockSize)) { Interest = POLLIN | POLLOUT, Peer = srv };
            clients[cs.Fd] = cl;
            servers[ss.Fd] = srv;
            ep.Register(cs.Fd, cl.Interest);
            ep.Register(ss.Fd, srv.Interest);
        }
        var buf = new byte[Chunk];
        int verified = 0, mismatched = 0, failed = 0, finished = 0;
        long echoed = 0;
        var sw = Stopwatch.StartNew();

        void Finish(Client c, bool ok, string? why)
        {
            c.Done = true;
            c.Peer.Done = true;
            finished++;
            if (ok) verified++;
            else if (why is null) mismatched++;
            else
            {
                failed++;
                if (errors.Count < 10) errors.Add(why);
            }
            ep.Unregister(c.S.Fd);
            ep.Unregister(c.Peer.S.Fd);
            c.SentHash.Dispose();
            c.ReceivedHash.Dispose();
            if (c.Peer.Pending is { } p) ArrayPool<byte>.Shared.Return(p);
            c.Peer.Pending = null;
        }

        void Want(SoakStream s, ref int interest, int next)
        {
            if (interest == next) return;
            interest = next;
            ep.Modify(s.Fd, next);
        }

        void ClientEvent(Client c, int ev)
        {
            if ((ev & POLLOUT) != 0)
            {
                while (c.Sent < bytesPerConnection)
                {
                    int len = (int)Math.Min(Chunk, bytesPerConnection - c.Sent);
                    var slice = Payload.Slice(c.Offset + c.Sent, len);
                    int n = c.S.Send(slice);
                    if (n <= 0) break;
                    c.SentHash.AppendData(slice[..n]);
                    c.Sent += n;
                }
            }
            if ((ev & (POLLIN | POLLERR | POLLHUP)) != 0)
            {
                for (int i = 0; i < ReadsPerEvent; i++)
                {
                    int n = c.S.RecvInto(buf);
                    if (n < 0) break;
                    if (n == 0)
                    {
                        Finish(c, false, $"fd {c.S.Fd}: EOF after {c.Received} of {bytesPerConnection} bytes");
                        return;
                    }
                    c.ReceivedHash.AppendData(buf, 0, n);
                    c.Received += n;
                    echoed += n;
                }
            }
            if (c.Received >= bytesPerConnection)
            {
                bool same = c.Received == bytesPerConnection
                    && c.SentHash.GetCurrentHash().AsSpan().SequenceEqual(c.ReceivedHash.GetCurrentHash());
                Finish(c, same, null);
                return;
            }
            Want(c.S, ref c.Interest, POLLIN | (c.Sent < bytesPerConnection ? POLLOUT : 0));
        }

        void ServerEvent(Server s, int ev)
        {
            if (s.Pending is { } p)
            {
                int n = s.S.Send(p.AsSpan(s.PendingStart, s.PendingEnd - s.PendingStart));
                if (n > 0) s.PendingStart += n;
                if (s.PendingStart < s.PendingEnd) return;
                ArrayPool<byte>.Shared.Return(p);
                s.Pending = null;
            }
            for (int i = 0; i < ReadsPerEvent && !s.Eof; i++)
            {
                int n = s.S.RecvInto(buf);
                if (n < 0) break;
                if (n == 0)
                {
                    s.Eof = true;
                    break;
                }
                int w = Math.Max(0, s.S.Send(buf.AsSpan(0, n)));
                if (w < n)
                {
                    s.Pending = ArrayPool<byte>.Shared.Rent(n - w);
                    buf.AsSpan(w, n - w).CopyTo(s.Pending);
                    s.PendingStart = 0;
                    s.PendingEnd = n - w;
                    break;
                }
            }
            Want(s.S, ref s.Interest, s.Pending is not null ? POLLOUT : s.Eof ? 0 : POLLIN);
        }

        while (finished < pairs.Count && sw.Elapsed < limit)
        {
            foreach (var (fd, ev) in ep.Poll(1.0, 4096))
            {
                try
                {
                    if (clients.TryGetValue(fd, out var c))
                    {
                        if (!c.Done) ClientEvent(c, ev);
                    }
                    else if (servers.TryGetValue(fd, out var s) && !s.Done) ServerEvent(s, ev);
                }
                catch (Errors.PySocketException e)
                {
                    var owner = clients.TryGetValue(fd, out var c2) ? c2 : clients.Values.FirstOrDefault(x => x.Peer.S.Fd == fd);
                    if (owner is { Done: false }) Finish(owner, false, $"fd {fd}: {e.PythonTypeName} {e.Message}");
                }
            }
        }
        int unfinished = pairs.Count - finished;
        if (unfinished > 0)
            errors.Add($"{unfinished} connections unfinished after {limit.TotalSeconds:0} s, e.g. " +
                string.Join("; ", clients.Values.Where(c => !c.Done).Take(3).Select(c => $"fd {c.S.Fd} sent {c.Sent} received {c.Received}")));
        return new EchoOutcome(pairs.Count, verified, mismatched, failed, unfinished, echoed, sw.Elapsed, errors);
    }
}
