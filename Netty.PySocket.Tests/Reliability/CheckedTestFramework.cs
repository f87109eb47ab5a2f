using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Netty.PySocket.Tests.Reliability.CheckedTestFramework", "Netty.PySocket.Tests")]

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// xUnit's own framework plus two assembly-wide duties that no single test can do (xUnit 2 has no assembly fixture):
/// hook <see cref="TaskScheduler.UnobservedTaskException"/> before the first test, and after the last one fail the run
/// (as an assembly cleanup failure) if any task exception went unobserved, then write the reliability figures.
/// </summary>
public sealed class CheckedTestFramework : XunitTestFramework
{
    public CheckedTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        UnobservedTasks.Hook();
    }

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    sealed class Executor(AssemblyName name, ISourceInformationProvider source, IMessageSink diagnostics)
        : XunitTestFrameworkExecutor(name, source, diagnostics)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    sealed class Runner(ITestAssembly assembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics, IMessageSink execution, ITestFrameworkExecutionOptions options)
        : XunitTestAssemblyRunner(assembly, testCases, diagnostics, execution, options)
    {
        protected override Task BeforeTestAssemblyFinishedAsync()
        {
            IReadOnlyCollection<Exception> unobserved = UnobservedTasks.CollectNow();
            ReliabilityFigures.Unobserved = unobserved;
            ReliabilityFigures.WriteIfAnyRecorded();
            if (unobserved.Count > 0)
            {
                Aggregator.Add(new InvalidOperationException(
                    $"{unobserved.Count} unobserved task exception(s) during the test run (listed in artifacts/reliability/xunit-figures.md): "
                    + string.Join(" || ", unobserved.Take(3).Select(e => e.ToString()))));
            }
            return base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
