using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Udp;

internal static class UdpKit
{
    public static string Host(int family) => family == AF_INET6 ? "::1" : "127.0.0.1";

    public static object[] Addr(int family, int port) => family == AF_INET6 ? [Host(family), port, 0, 0] : [Host(family), port];

    public static SocketObject Bound(int family = AF_INET)
    {
        var s = new SocketObject(family, SOCK_DGRAM);
        s.Bind(Addr(family, 0));
        s.SetTimeout(10);
        return s;
    }

    public static int Port(SocketObject s) => (int)((object[])s.GetSockName())[1];

    public static System.Net.Sockets.Socket NetPeer(int family = AF_INET)
    {
        var af = family == AF_INET6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var p = new System.Net.Sockets.Socket(af, SocketType.Dgram, ProtocolType.Udp);
        p.Bind(new IPEndPoint(family == AF_INET6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
        p.ReceiveTimeout = 10_000;
        return p;
    }

    public static IPEndPoint Ep(SocketObject s, int family = AF_INET) =>
        new(family == AF_INET6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, Port(s));

    public static int NetPort(System.Net.Sockets.Socket p) => ((IPEndPoint)p.LocalEndPoint!).Port;

    public static PySocketException Raises(Action a) => Assert.Throws<PySocketException>(a);

    /// <summary>A python3 subprocess running <paramref name="script"/>; talks over stdin/stdout lines.</summary>
    public sealed class Py : IDisposable
    {
        readonly Process p;

        public Py(string script)
        {
            var psi = new ProcessStartInfo("python3", ["-u", "-c", script])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            p = Process.Start(psi)!;
        }

        public string ReadLine()
        {
            Task<string?> line = p.StandardOutput.ReadLineAsync();
            if (!line.Wait(TimeSpan.FromSeconds(20))) throw new TimeoutException("python peer silent: " + Stderr());
            return line.Result ?? throw new InvalidOperationException("python peer ended: " + Stderr());
        }

        public void WriteLine(string s)
        {
            p.StandardInput.WriteLine(s);
            p.StandardInput.Flush();
        }

        string Stderr() => p.HasExited ? p.StandardError.ReadToEnd() : "";

        public void Dispose()
        {
            try
            {
                if (!p.WaitForExit(5000)) p.Kill();
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
    }
}
