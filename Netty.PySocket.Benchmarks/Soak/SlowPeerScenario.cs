namespace Netty.PySocket.Benchmarks.Soak;

public static class SlowPeerScenario
{
    public static IEnumerable<SoakResult> Run(SoakContext ctx) { yield break; }
}
