namespace Netty.PySocket.Benchmarks.Soak;

public static class LeakScenario
{
    public static IEnumerable<SoakResult> Run(SoakContext ctx) { yield break; }
}
