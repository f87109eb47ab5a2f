namespace Netty.PySocket.Tests.Interop;

/// <summary>
/// The host ends as <c>python3</c> does when the script fails with objects still open (interop/Netty.PySocket.Host/
/// Program.cs): an unclosed asyncio loop with its selector and sockets made the host hang at exit (pythonnet's exit
/// handler finalized the interpreter, whose __del__ methods called into the shut-down library), and the traceback
/// showed the host's own frames.
/// </summary>
public class HostExitTests
{
    const string Script = """
        import asyncio, selectors, socket
        loop = asyncio.SelectorEventLoop(selectors.EpollSelector())
        srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
        c = socket.create_connection(srv.getsockname())
        print("before the failure", flush=True)
        raise OSError(107, "the script's own failure")
        """;

    [Fact]
    public void AFailingScriptWithOpenObjectsExitsAsPython3Does()
    {
        var (native, ours) = ScriptRun.NativeAndOurs(Script);
        Assert.Equal(1, native.Code);
        Assert.Equal(native.Code, ours.Code);
        Assert.Equal(native.Stdout, ours.Stdout);
        Assert.Equal(native.Stderr, ours.Stderr);
    }
}
