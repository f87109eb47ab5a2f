namespace Netty.PySocket.Benchmarks.Soak;

public static class ExitScenario
{
    public static IEnumerable<SoakResult> Run(SoakContext ctx) { yield break; }
}
