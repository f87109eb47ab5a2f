using System.Buffers;
using System.Net;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

public sealed partial class SocketObject
{
    /// <summary>The largest UDP payload (65535 - 8 byte UDP header); a buffer this big never truncates a datagram.</summary>
    const int MaxDatagram = 65535;

    /// <summary>
    /// <c>sendto(data[, flags], address)</c>: one datagram to <paramref name="address"/> (parsed as CPython's
    /// getsockaddrarg, TypeError/gaierror first); an unbound socket is bound by the kernel (getsockname shows the
    /// port). Returns the bytes sent. On a stream socket the address is ignored, as Linux does for a connected TCP socket.
    /// </summary>
    public int SendTo(ReadOnlySpan<byte> data, int flags, object? address)
    {
        try
        {
            if (family == SocketConstants.AF_UNIX && Datagram is null)
            {
                UnixAddress.Parse(address);
                // Linux's unix_stream_sendmsg refuses any address: EISCONN when connected, else EOPNOTSUPP.
                SocketCore unix = Core;
                throw PySocketException.OSError(unix.State == SocketState.Connected ? Errno.EISCONN : Errno.EOPNOTSUPP);
            }
            byte[] to = KernelAddress(family, address, "sendto");
            CheckFlags(flags, SendFlags);
            if (Datagram is { } d) return d.Send(data, flags, to, DeadlineFor(flags));
            return Core.Send(data, DeadlineFor(flags));
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>sendto</c> for callers holding an array.</summary>
    public int SendTo(byte[] data, int offset, int count, int flags, object? address) =>
        SendTo(new ReadOnlySpan<byte>(data, offset, count), flags, address);

    /// <summary>
    /// <c>recvfrom(bufsize[, flags])</c>: <c>[bytes data, address tuple or null]</c>. One datagram at most,
    /// truncated to bufsize (the rest is discarded). On a stream socket the address is null, as CPython on Linux.
    /// </summary>
    public object?[] RecvFrom(int bufsize, int flags = 0)
    {
        try
        {
            if (bufsize < 0) throw PySocketException.ValueError("negative buffersize in recvfrom");
            CheckFlags(flags, RecvFlags);
            if (Datagram is { } d)
            {
                byte[] data = DatagramReceive(d, bufsize, flags, out byte[]? from);
                return [data, FromKernel(from, family)];
            }
            return [Recv(bufsize, flags), null];
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary>
    /// <c>recvfrom_into(buffer[, nbytes[, flags]])</c>: <c>[int nbytes received, address tuple or null]</c>;
    /// nbytes 0 means the whole buffer.
    /// </summary>
    public object?[] RecvFromInto(Span<byte> buffer, int nbytes = 0, int flags = 0)
    {
        try
        {
            if (nbytes < 0) throw PySocketException.ValueError("negative buffersize in recvfrom_into");
            if (nbytes > buffer.Length) throw PySocketException.ValueError("nbytes is greater than the length of the buffer");
            if (nbytes == 0) nbytes = buffer.Length;
            CheckFlags(flags, RecvFlags);
            if (Datagram is { } d)
            {
                int n = d.Receive(buffer[..nbytes], flags, DeadlineFor(flags), out byte[]? from);
                return [n, FromKernel(from, family)];
            }
            return [RecvInto(buffer[..nbytes], 0, flags), null];
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary><c>recvfrom_into</c> for callers holding an array (count bytes at offset; count 0 is not "all").</summary>
    public object?[] RecvFromInto(byte[] buffer, int offset, int count, int flags) =>
        RecvFromInto(new Span<byte>(buffer, offset, count), count, flags);

    byte[] DatagramReceive(DatagramCore d, int bufsize, int flags, out byte[]? from)
    {
        // recv(0) still takes a datagram (and discards it), as Linux; beyond the largest datagram a bigger buffer
        // changes nothing, so the pooled one is capped there.
        int len = Math.Min(bufsize, MaxDatagram);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(len, 1));
        try
        {
            int n = d.Receive(rented.AsSpan(0, len), flags, DeadlineFor(flags), out from);
            return rented[..n];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
