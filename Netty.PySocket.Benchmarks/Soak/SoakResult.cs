namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>One PASS/FAIL line: what was checked, and the figure that decided it.</summary>
public sealed record Check(string What, bool Pass, string Detail)
{
    public string Line => $"{(Pass ? "PASS" : "FAIL")}  {What}: {Detail}";
}

/// <summary>What one scenario proved, in the figures the issue asks for.</summary>
public sealed class SoakResult
{
    public SoakResult(string suite, string name)
    {
        Suite = suite;
        Name = name;
    }

    public string Suite { get; }
    public string Name { get; }
    public long ConnectionsHeld { get; set; }
    public long BytesVerified { get; set; }
    public long FaultsInjected { get; set; }
    public long FaultsSurvived { get; set; }
    public long InputsTried { get; set; }
    public long LeaksFound { get; set; }
    public TimeSpan Elapsed { get; set; }
    public List<(string What, string Value)> Figures { get; } = new();
    public List<Check> Checks { get; } = new();

    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Pass);

    public void Figure(string what, string value) => Figures.Add((what, value));

    public bool Require(string what, bool pass, string detail)
    {
        Checks.Add(new Check(what, pass, detail));
        return pass;
    }

    /// <summary>A scenario that threw: recorded as a failed check instead of stopping the soak.</summary>
    public void Crashed(Exception e) => Checks.Add(new Check("scenario ran to the end", false, $"{e.GetType().Name}: {e.Message}"));
}
