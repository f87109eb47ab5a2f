namespace Netty.PySocket.Benchmarks.Soak;

public static class SilentPeerScenario
{
    public static IEnumerable<SoakResult> Run(SoakContext ctx) { yield break; }
}
