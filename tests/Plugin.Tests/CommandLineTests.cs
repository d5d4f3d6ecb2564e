namespace DuplicityChecks.Plugin.Tests;

public class CommandLineTests
{
    private static readonly OptionSpec[] Specs =
    [
        new("warning", 'w', "RANGE", "w"),
        new("critical", 'c', "RANGE", "c"),
        new("verbose", 'v', null, "v"),
        new("archive-dir", 'A', "DIR", "a"),
        new("now", null, "TIME", "n"),
    ];

    [Test]
    public void Long_short_attached_and_equals_forms()
    {
        var o = CommandLine.Parse(["--warning", "26h", "-c50h", "--archive-dir=/x", "-A", "/y", "--now", "1795688000"], Specs);
        o.Get("warning").Should().Be("26h");
        o.Get("critical").Should().Be("50h");
        o.Get("archive-dir").Should().Be("/y");
        o.GetAll("archive-dir").Should().Equal("/x", "/y");
        o.Get("now").Should().Be("1795688000");
    }

    [Test]
    public void Bundled_verbosity_counts() => CommandLine.Parse(["-vvv"], Specs).Count("verbose").Should().Be(3);

    [Test]
    public void Values_that_look_like_ranges_are_values()
    {
        var o = CommandLine.Parse(["-c", "@0:30m", "-w", "~:10"], Specs);
        o.Get("critical").Should().Be("@0:30m");
        o.Get("warning").Should().Be("~:10");
    }

    [TestCase("--bogus")]
    [TestCase("-x")]
    [TestCase("positional")]
    [TestCase("--warning")]
    [TestCase("--verbose=2")]
    public void Bad_command_lines_are_usage_errors(string arg)
        => FluentActions.Invoking(() => CommandLine.Parse([arg], Specs)).Should().Throw<UsageException>();

    [Test]
    public void Help_wraps_at_80_columns()
    {
        var plugin = new PluginDefinition { Name = "check_x", Service = "X", Description = string.Join(' ', Enumerable.Repeat("word", 60)), Options = Specs };
        HelpText.Full(plugin, [.. Specs, .. StandardOptions.For(plugin)]).Split('\n').Should().AllSatisfy(l => l.Length.Should().BeLessThanOrEqualTo(80));
    }

    [TestCase("1795688000", 1795688000L)]
    [TestCase("2026-11-26T10:00:00Z", 1795687200L)]
    [TestCase("2026-11-26T11:00:00+01:00", 1795687200L)]
    [TestCase("2026-11-26 10:00:00", 1795687200L)]
    public void Now_accepts_epoch_and_iso_8601(string text, long epoch) => EvaluationTime.Parse(text).ToUnixTimeSeconds().Should().Be(epoch);

    [Test]
    public void Now_refuses_garbage() => FluentActions.Invoking(() => EvaluationTime.Parse("yesterday")).Should().Throw<UsageException>();
}
