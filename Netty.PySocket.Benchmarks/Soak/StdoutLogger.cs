using Microsoft.Extensions.Logging;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>A child's view of the library's log: every message as one "log TICKS MESSAGE" line on stdout (UTC
/// ticks), so the parent can see when the process-exit closer ran. Only the children use it.</summary>
public sealed class StdoutLogger : ILoggerFactory, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Console.Out.WriteLine($"log {DateTime.UtcNow.Ticks} {formatter(state, exception)}");
        Console.Out.Flush();
    }
}
