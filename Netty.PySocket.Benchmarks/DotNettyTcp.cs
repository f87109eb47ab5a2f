using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using DotNetty.Buffers;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Netty.PySocket.Benchmarks;

/// <summary>A raw DotNetty 0.7.6 pipeline doing the same jobs: the receiving side is a handler on the event loop
/// (DotNetty's best case), the sending side a blocking caller thread that writes pooled buffers and waits for
/// writability (same water marks as ours: 256/128 KiB) or for the reply (ManualResetEventSlim).</summary>
public sealed class DotNettyTcp : TcpImpl
{
    public override string Name => Impl.DotNetty;
    static readonly MultithreadEventLoopGroup Group = new(Math.Max(1, Environment.ProcessorCount));

    sealed class Init : ChannelInitializer<ISocketChannel>
    {
        readonly Action<ISocketChannel> init;
        public Init(Action<ISocketChannel> init) => this.init = init;
        protected override void InitChannel(ISocketChannel channel) => init(channel);
    }

    static IChannel Server(Action<ISocketChannel> child) =>
        new ServerBootstrap().Group(Group, Group).Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 128)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(new Init(child))
            .BindAsync(new IPEndPoint(IPAddress.Loopback, 0)).GetAwaiter().GetResult();

    static IChannel Client(EndPoint ep, Action<ISocketChannel> init) =>
        new Bootstrap().Group(Group).Channel<TcpSocketChannel>()
            .Option(ChannelOption.TcpNodelay, true)
            .Option(ChannelOption.WriteBufferHighWaterMark, 256 * 1024)
            .Option(ChannelOption.WriteBufferLowWaterMark, 128 * 1024)
            .Handler(new Init(init))
            .ConnectAsync(ep).GetAwaiter().GetResult();

    /// <summary>Counts (and optionally hashes) inbound bytes; completes when the expected count arrived.</summary>
    sealed class Sink : ChannelHandlerAdapter
    {
        readonly long expected; readonly IncrementalHash? hash;
        long got;
        public long End;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Sink(long expected, bool verify)
        {
            this.expected = expected;
            hash = verify ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        }
        public string? Sha;
        public override void ChannelRead(IChannelHandlerContext ctx, object msg)
        {
            var b = (IByteBuffer)msg;
            int n = b.ReadableBytes;
            if (hash != null)
            {
                var seg = b.GetIoBuffer(b.ReaderIndex, n);
                hash.AppendData(seg.Array!, seg.Offset, seg.Count);
            }
            got += n;
            b.Release();
            if (got >= expected && !Done.Task.IsCompleted)
            {
                End = Stopwatch.GetTimestamp();
                if (hash != null) Sha = Convert.ToHexString(hash.GetHashAndReset());
                Done.TrySetResult();
            }
        }
    }

    /// <summary>Lets the sending thread wait for writability without a lost wake-up.</summary>
    sealed class Writability : ChannelHandlerAdapter
    {
        public readonly object Gate = new();
        public override void ChannelWritabilityChanged(IChannelHandlerContext ctx)
        {
            lock (Gate) Monitor.PulseAll(Gate);
            ctx.FireChannelWritabilityChanged();
        }
        public void WaitWritable(IChannel ch)
        {
            if (ch.IsWritable) return;
            lock (Gate) while (!ch.IsWritable && ch.Active) Monitor.Wait(Gate, 100);
        }
    }

    sealed class Echo : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext ctx, object msg) => ctx.WriteAndFlushAsync(msg);
    }

    sealed class Pong : ChannelHandlerAdapter
    {
        public int Size;
        int got;
        public readonly ManualResetEventSlim Arrived = new(false);
        public override void ChannelRead(IChannelHandlerContext ctx, object msg)
        {
            var b = (IByteBuffer)msg;
            got += b.ReadableBytes;
            b.Release();
            if (got >= Size) { got -= Size; Arrived.Set(); }
        }
    }

    static void Write(IChannel ch, ReadOnlySpan<byte> data)
    {
        var buf = ch.Allocator.Buffer(data.Length);
        var seg = buf.GetIoBuffer(buf.WriterIndex, data.Length);
        data.CopyTo(seg.AsSpan());
        buf.SetWriterIndex(buf.WriterIndex + data.Length);
        ch.WriteAndFlushAsync(buf);
    }

    public override BulkResult Bulk(long total, int chunk, bool verify)
    {
        var sink = new Sink(total, verify);
        var server = Server(ch => ch.Pipeline.AddLast(sink));
        var w = new Writability();
        var client = Client(server.LocalAddress, ch => ch.Pipeline.AddLast(w));
        try
        {
            long start = Stopwatch.GetTimestamp();
            for (long pos = 0; pos < total;)
            {
                int len = (int)Math.Min(chunk, total - pos);
                w.WaitWritable(client);
                Write(client, Payload.Slice(pos, len));
                pos += len;
            }
            sink.Done.Task.GetAwaiter().GetResult();
            return new BulkResult(Stopwatch.GetElapsedTime(start, sink.End).TotalSeconds, sink.Sha);
        }
        finally { client.CloseAsync().Wait(); server.CloseAsync().Wait(); }
    }

    public override double[] PingPong(int n, int size, bool timeoutMode)
    {
        var server = Server(ch => ch.Pipeline.AddLast(new Echo()));
        var pong = new Pong { Size = size };
        var client = Client(server.LocalAddress, ch => ch.Pipeline.AddLast(pong));
        try
        {
            var msg = Payload.Block.AsSpan(0, size).ToArray();
            void Rt()
            {
                pong.Arrived.Reset();
                Write(client, msg);
                if (timeoutMode) { if (!pong.Arrived.Wait(10_000)) throw new TimeoutException(); }
                else pong.Arrived.Wait();
            }
            for (int i = 0; i < 200; i++) Rt();
            var lat = new double[n];
            for (int i = 0; i < n; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                Rt();
                lat[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
            return lat;
        }
        finally { client.CloseAsync().Wait(); server.CloseAsync().Wait(); }
    }

    public override double ConnRate(int n)
    {
        var accepted = new BlockingCollection<IChannel>();
        var server = Server(ch => accepted.Add(ch));
        var bs = new Bootstrap().Group(Group).Channel<TcpSocketChannel>().Option(ChannelOption.TcpNodelay, true)
            .Handler(new ActionChannelInitializer<ISocketChannel>(_ => { }));
        var closes = new List<Task>(2 * n);
        try
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                var c = bs.ConnectAsync(server.LocalAddress).GetAwaiter().GetResult();
                var a = accepted.Take();
                closes.Add(c.CloseAsync());
                closes.Add(a.CloseAsync());
            }
            Task.WaitAll(closes.ToArray());
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        finally { server.CloseAsync().Wait(); }
    }

    public override AllocResult Alloc(int n, int size)
    {
        var sink = new Sink((long)(n + 100) * size, false);
        var server = Server(ch => ch.Pipeline.AddLast(sink));
        var w = new Writability();
        var client = Client(server.LocalAddress, ch => ch.Pipeline.AddLast(w));
        try
        {
            var msg = Payload.Block.AsSpan(0, size).ToArray();
            for (int i = 0; i < 100; i++) { w.WaitWritable(client); Write(client, msg); }
            long p0 = GC.GetTotalAllocatedBytes(true);
            long t0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < n; i++) { w.WaitWritable(client); Write(client, msg); }
            long tx = GC.GetAllocatedBytesForCurrentThread() - t0;
            sink.Done.Task.GetAwaiter().GetResult();
            long p = GC.GetTotalAllocatedBytes(true) - p0;
            return new AllocResult((double)tx / n, double.NaN, (double)p / n);
        }
        finally { client.CloseAsync().Wait(); server.CloseAsync().Wait(); }
    }
}
