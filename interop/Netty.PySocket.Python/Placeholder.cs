namespace Netty.PySocket.Python;

/// <summary>Temporary: replaced by the buffer bridge once SocketObject lands on main.</summary>
public static class BridgeInfo
{
    public const string Version = "0.1";
}
