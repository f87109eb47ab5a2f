using System.Buffers.Binary;

namespace Netty.PySocket.Socket;

/// <summary>
/// One ancillary-data item of sendmsg/recvmsg (struct cmsghdr's level and type, and its data), and the Linux LP64
/// control-buffer layout: a 16-byte header (size_t cmsg_len, int level, int type), data, padding to 8 bytes.
/// </summary>
internal readonly record struct ControlMessage(int Level, int Type, byte[] Data)
{
    const int HeaderSize = 16;
    const int Alignment = 8;

    static int Align(long length) => (int)((length + Alignment - 1) & ~(long)(Alignment - 1));

    /// <summary>CMSG_SPACE(n).</summary>
    internal static int Space(int dataLength) => HeaderSize + Align(dataLength);

    /// <summary>The control buffer sendmsg(2) takes, built as CPython's sock_sendmsg does: CMSG_SPACE per item, cmsg_len = CMSG_LEN(n).</summary>
    internal static byte[] Encode(IReadOnlyList<ControlMessage> items)
    {
        int total = 0;
        foreach (ControlMessage item in items) total = checked(total + Space(item.Data.Length));
        var buffer = new byte[total];
        int offset = 0;
        foreach (ControlMessage item in items)
        {
            Span<byte> header = buffer.AsSpan(offset, HeaderSize);
            BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)(HeaderSize + item.Data.Length));
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], item.Level);
            BinaryPrimitives.WriteInt32LittleEndian(header[12..], item.Type);
            item.Data.CopyTo(buffer.AsSpan(offset + HeaderSize));
            offset += Space(item.Data.Length);
        }
        return buffer;
    }

    /// <summary>
    /// The items of a received control buffer (<paramref name="control"/> is msg_controllen bytes), walked as CPython's
    /// sock_recvmsg_guts does with glibc 2.36's CMSG_FIRSTHDR/CMSG_NXTHDR: an item whose data runs past the buffer (the
    /// kernel truncated it: MSG_CTRUNC) is returned cut short, and a header that does not fit ends the walk; either
    /// sets <paramref name="malformed"/> (CPython's "received malformed or improperly-truncated ancillary data" warning).
    /// </summary>
    internal static List<ControlMessage> Parse(ReadOnlySpan<byte> control, out bool malformed)
    {
        var items = new List<ControlMessage>();
        malformed = false;
        long end = control.Length;
        long offset = 0;
        if (end < HeaderSize) return items; // CMSG_FIRSTHDR is NULL
        while (true)
        {
            // CPython's get_cmsg_data_len: the whole header must be inside the buffer, and cmsg_len at least a header.
            if (offset + HeaderSize > end)
            {
                malformed = true;
                break;
            }
            long length = (long)BinaryPrimitives.ReadUInt64LittleEndian(control[(int)offset..]);
            if (length < HeaderSize)
            {
                malformed = true;
                break;
            }
            int level = BinaryPrimitives.ReadInt32LittleEndian(control[(int)(offset + 8)..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(control[(int)(offset + 12)..]);
            long dataLength = length - HeaderSize;
            long space = end - offset - HeaderSize;
            if (space < dataLength)
            {
                malformed = true;
                dataLength = space;
            }
            items.Add(new ControlMessage(level, type, control.Slice((int)(offset + HeaderSize), (int)dataLength).ToArray()));
            // glibc (2.36+) __cmsg_nxthdr: there is a next item when this one, padded, and a whole header fit.
            if (length > end - offset || Align(length) + HeaderSize > end - offset) break;
            offset += Align(length);
        }
        return items;
    }
}
