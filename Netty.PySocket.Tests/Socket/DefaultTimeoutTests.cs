using Netty.PySocket.Socket;

namespace Netty.PySocket.Tests.Socket;

/// <summary>Changes the process-wide default timeout, so it runs alone.</summary>
[CollectionDefinition(nameof(DefaultTimeoutTests), DisableParallelization = true)]
public class DefaultTimeoutCollection
{
}

[Collection(nameof(DefaultTimeoutTests))]
public class DefaultTimeoutTests
{
    [Fact]
    public void DefaultTimeoutAppliesToNewAndAcceptedSockets()
    {
        var l = Loopback.Listener();
        try
        {
            SocketObject.DefaultTimeout = 7.0;
            var c = new SocketObject();
            Assert.Equal(7.0, c.GetTimeout());
            c.Connect(new object[] { "127.0.0.1", Loopback.Port(l) });
            var s = l.AcceptSocket(out _);
            Assert.Equal(7.0, s.GetTimeout());
            c.Close();
            s.Close();
        }
        finally
        {
            SocketObject.DefaultTimeout = null;
            l.Close();
        }
    }

}
