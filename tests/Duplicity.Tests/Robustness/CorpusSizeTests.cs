namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// Counts the generated cases the robustness tests run (the same enumerations, without running the parsers) and
/// prints the figure per family: CI must run at least 10,000 generated cases.
/// </summary>
public class CorpusSizeTests
{
    [Test]
    public void At_least_10000_generated_cases_run_in_CI()
    {
        var families = new (string Name, int Count)[]
        {
            ("collection-status text and machine log", CollectionStatusRobustnessTests.Cases().Count()),
            ("archive-dir file names", ArchiveDirRobustnessTests.NameCases().Count()),
            ("archive-dir folders", ArchiveDirRobustnessTests.FolderCases().Count()),
            ("ps captures", ProcessTableRobustnessTests.PsCases().Count()),
            ("/proc stat lines", ProcessTableRobustnessTests.StatCases().Count()),
            ("/proc roots", ProcessTableRobustnessTests.ProcRootCases().Count()),
            ("backup logs", LogRobustnessTests.Cases().Count()),
            ("threshold ranges and durations (x3 parsers)", OptionRobustnessTests.RangeCases().Count() * 3),
            ("--now", OptionRobustnessTests.NowCases().Count()),
            ("INI job file", OptionRobustnessTests.IniCases().Count()),
        };
        foreach (var (name, count) in families) TestContext.Progress.WriteLine($"generated cases, {name}: {count}");
        var total = families.Sum(f => f.Count);
        TestContext.Progress.WriteLine($"generated cases in-process, total: {total}");
        total.Should().BeGreaterThanOrEqualTo(10_000);
    }
}
