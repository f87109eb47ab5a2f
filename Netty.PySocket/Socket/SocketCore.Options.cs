using System.Runtime.InteropServices;
using System.Buffers.Binary;
using System.Net.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    /// <summary>
    /// getsockopt with Linux numbers, passed straight to the kernel, so values and errors (ENOPROTOOPT, EINVAL)
    /// are the kernel's, as in CPython. SO_ERROR also reports a failed non-blocking connect, which happened on
    /// the event loop's copy of the attempt. SO_TYPE is ours (we always create SOCK_STREAM).
    /// </summary>
    internal object GetOption(int level, int name, int buflen)
    {
        lock (Sync)
        {
            if (state == SocketState.Closed) throw BadFd();
        }
        if (level == SocketConstants.SOL_SOCKET && name == SocketConstants.SO_ERROR && buflen == 0)
        {
            SettleIfKernelDid(); // the kernel's SO_ERROR of a connect belongs to the probe that records it
            int pending = TakeSoError();
            if (pending != 0) return pending;
        }
        return VirtualReceiveTimeout(level, name, buflen) ?? KernelOptions.Get(raw, level, name, buflen);
    }

    /// <summary>setsockopt with an int (packed as a C int) or bytes, passed to the kernel as CPython does.</summary>
    internal void SetOption(int level, int name, ReadOnlySpan<byte> value)
    {
        lock (Sync)
        {
            if (state == SocketState.Closed) throw BadFd();
        }
        KernelOptions.Set(raw, level, name, value);
        OnUserReceiveTimeout(level, name);
    }

    /// <summary>getsockname(2): after <see cref="KernelConnect"/> the port is the kernel's new one, not System.Net's cached name.</summary>
    unsafe System.Net.EndPoint? KernelLocalEndPoint()
    {
        byte* buffer = stackalloc byte[128];
        int len = 128;
        return LibC.GetSockName(PrimaryFd, buffer, &len) == 0
            ? DatagramCore.ToEndPoint(new ReadOnlySpan<byte>(buffer, len))
            : throw PySocketException.OSError(Marshal.GetLastPInvokeError());
    }

    internal System.Net.EndPoint? LocalEndPoint
    {
        get
        {
            try
            {
                return reconnectInKernel ? KernelLocalEndPoint() : raw.LocalEndPoint;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                throw ErrorTable.Translate(ex);
            }
        }
    }

    internal System.Net.EndPoint? RemoteEndPoint
    {
        get
        {
            lock (Sync)
            {
                if (state == SocketState.Closed) throw BadFd();
                if (state != SocketState.Connected) throw PySocketException.OSError(Errno.ENOTCONN);
            }
            try
            {
                if (!KernelHasPeer()) throw PySocketException.OSError(Errno.ENOTCONN);
                return channel?.RemoteAddress ?? raw.RemoteEndPoint ?? kernelPeer;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                throw ErrorTable.Translate(ex);
            }
        }
    }

    /// <summary>
    /// Linux forgets the peer of a reset connection (getpeername: ENOTCONN) while the channel still holds its address;
    /// ssl.py relies on that to refuse data that arrived before a handshake on a connection already reset.
    /// </summary>
    unsafe bool KernelHasPeer()
    {
        bool added = false;
        try
        {
            raw.SafeHandle.DangerousAddRef(ref added);
            byte* addr = stackalloc byte[128];
            int len = 128;
            return LibC.GetPeerName((int)raw.SafeHandle.DangerousGetHandle(), addr, &len) == 0
                || System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.ENOTCONN;
        }
        finally
        {
            if (added) raw.SafeHandle.DangerousRelease();
        }
    }

    internal void Bind(System.Net.EndPoint local)
    {
        lock (Sync)
        {
            if (state == SocketState.Closed) throw BadFd();
            if (state != SocketState.Fresh || raw.IsBound) throw PySocketException.OSError(Errno.EINVAL);
            try
            {
                raw.Bind(local);
            }
            catch (Exception ex)
            {
                throw ErrorTable.Translate(ex);
            }
        }
    }
}
