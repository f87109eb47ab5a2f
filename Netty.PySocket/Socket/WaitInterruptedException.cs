namespace Netty.PySocket.Socket;

/// <summary>Carries an exception thrown by the host's blocking-wait hook out to the public method, which rethrows it unchanged.</summary>
internal sealed class WaitInterruptedException : Exception
{
    public WaitInterruptedException(Exception inner)
        : base(inner.Message, inner)
    {
    }
}
