namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>The hidden <c>--soak-child NAME</c> modes: scenarios that must own a whole process.</summary>
public static class SoakChildren
{
    public static int Run(string name) => name switch
    {
        _ => throw new ArgumentException("unknown soak child " + name),
    };
}
