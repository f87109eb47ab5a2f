namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>The hidden <c>--soak-child NAME</c> modes: scenarios that must own a whole process.</summary>
public static class SoakChildren
{
    public static int Run(string name) => name switch
    {
        "exit" => ExitScenario.Child(bare: false),
        "exit-bare" => ExitScenario.Child(bare: true),
        "shutdown" => GroupShutdownScenario.Child(),
        _ => throw new ArgumentException("unknown soak child " + name),
    };
}
