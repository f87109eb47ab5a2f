using System.Globalization;
using System.Xml.Linq;

namespace Netty.PySocket.Host.Conformance;

/// <summary>Writes one module's results in the layout <c>python -m test --junit-xml</c> uses.</summary>
public static class JUnit
{
    public static void Write(ModuleResult r, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        int errors = r.Tests.Values.Count(t => t.Outcome is "error" or "timeout" or "crash" or "notrun");
        int failures = r.Tests.Values.Count(t => t.Outcome is "fail" or "xpass");
        var suite = new XElement("testsuite",
            new XAttribute("name", r.Module),
            new XAttribute("tests", r.Tests.Count),
            new XAttribute("errors", errors),
            new XAttribute("failures", failures),
            new XAttribute("skipped", r.Skipped),
            new XAttribute("time", r.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)));
        foreach (var t in r.Tests.Values)
        {
            var e = new XElement("testcase",
                new XAttribute("name", t.Id),
                new XAttribute("status", "run"),
                new XAttribute("result", "completed"),
                new XAttribute("time", t.Seconds.ToString("0.000000", CultureInfo.InvariantCulture)));
            switch (t.Outcome)
            {
                case "skip": e.Add(new XElement("skipped", t.Message)); break;
                case "fail":
                    e.Add(new XElement("failure", new XAttribute("type", t.Type), new XAttribute("message", t.Message), t.Traceback));
                    break;
                case "error" or "timeout" or "crash" or "notrun":
                    e.Add(new XElement("error", new XAttribute("type", t.Type), new XAttribute("message", t.Message), t.Traceback));
                    break;
                case "xfail": e.Add(new XElement("output", new XAttribute("type", t.Type), new XAttribute("message", t.Message), t.Traceback)); break;
                case "xpass": e.Add(new XElement("outcome", "UNEXPECTED_SUCCESS")); break;
            }
            suite.Add(e);
        }
        if (r.Aborted is not null) suite.Add(new XElement("system-err", "run aborted: " + r.Aborted));
        var root = new XElement("testsuites",
            new XAttribute("tests", r.Tests.Count), new XAttribute("errors", errors), new XAttribute("failures", failures), suite);
        new XDocument(root).Save(path);
    }
}
