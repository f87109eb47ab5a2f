using DotNetty.Buffers;

namespace Netty.PySocket.Socket;

/// <summary>
/// Bytes a plain send() writes while a TLS handler is in the pipeline (a dup of a wrapped socket): CPython writes
/// them to the descriptor as they are, so the TLS handler passes them on unencrypted, in order with its records.
/// </summary>
internal sealed class KernelBytes(IByteBuffer content) : DefaultByteBufferHolder(content)
{
    public override IByteBufferHolder Replace(IByteBuffer content) => new KernelBytes(content);
}
