namespace Netty.PySocket.Benchmarks.Soak;

public static class GroupShutdownScenario
{
    public static IEnumerable<SoakResult> Run(SoakContext ctx) { yield break; }
}
