using System.Security.Cryptography.X509Certificates;

namespace Netty.PySocket.Ssl;

/// <summary>
/// The peer's certificates as DER, captured when .NET validates them: what the peer sent (leaf first, as
/// CPython's <c>get_unverified_chain</c> reports it on both sides) and the chain built to a trusted root
/// (<c>get_verified_chain</c>; null when verification did not build one).
/// </summary>
internal sealed record PeerChain(byte[][] Unverified, byte[][]? Verified)
{
    /// <summary>The leaf, then the extra certificates the peer sent (.NET puts them in the chain's ExtraStore).</summary>
    public static byte[][] Presented(X509Certificate2 leaf, X509Chain? presented)
    {
        var certs = new List<byte[]> { leaf.RawData };
        if (presented is not null)
        {
            foreach (X509Certificate2 c in presented.ChainPolicy.ExtraStore)
            {
                if (!certs.Exists(d => d.AsSpan().SequenceEqual(c.RawData))) certs.Add(c.RawData);
            }
        }
        return certs.ToArray();
    }

    /// <summary>Python-facing form: a list of DER byte strings (object[] of byte[]).</summary>
    public static object[]? ToPython(byte[][]? chain) => chain is null ? null : Array.ConvertAll(chain, d => (object)d);
}
