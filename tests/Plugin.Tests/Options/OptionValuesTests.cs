using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.Plugin.Tests.Options;

/// <summary>The one resolver: command line, else the job's key, else the declared default; none/off only where declared.</summary>
public class OptionValuesTests
{
    private static readonly Option<ThresholdRange?> Warning = new Option<ThresholdRange?>("warning", 'w', "RANGE", "Warning range", OptionParsers.Range(RangeUnits.Duration)) { JobKey = "warning", Off = "no threshold" }
        .WithDefault("26h");

    private static readonly Option<ServiceState> State = new Option<ServiceState>("state", null, "STATE", "A state", OptionParsers.State([ServiceState.Ok, ServiceState.Warning], "one of ok, warning"))
        .WithDefault("warning");

    private static readonly Option<string?> Pattern = new("pattern", null, "REGEX", "Patterns", OptionParsers.Text) { JobKey = "pattern", Repeatable = true };

    private static readonly OptionSpec[] Specs = [Warning, State, Pattern];

    private static OptionValues Values(string[] args, Dictionary<string, string>? job = null)
        => new(CommandLine.Parse(args, Specs), job is null ? null : "j", job is null ? null : key => job.GetValueOrDefault(key));

    private static ThresholdRange Above(double seconds) => new(0, seconds, false);

    [Test]
    public void The_default_is_written_once_and_parsed_by_the_option_s_parser()
    {
        Warning.Default.Should().Be("26h");
        Warning.DefaultValue.Should().Be(Above(93600));
        Values([]).Get(Warning).Should().Be(Above(93600));
    }

    [Test]
    public void The_command_line_wins_over_the_job_and_the_job_over_the_default()
    {
        Values(["-w", "1h"], new() { ["warning"] = "2h" }).Get(Warning).Should().Be(Above(3600));
        Values([], new() { ["warning"] = "2h" }).Get(Warning).Should().Be(Above(7200));
        Values([], new() { ["other"] = "2h" }).Get(Warning).Should().Be(Above(93600));
    }

    [Test]
    public void An_empty_value_is_not_given_on_the_command_line_or_in_the_job()
    {
        Values(["-w", ""], new() { ["warning"] = "2h" }).Get(Warning).Should().Be(Above(7200));
        Values([], new() { ["warning"] = "" }).Get(Warning).Should().Be(Above(93600));
    }

    [TestCase("none")]
    [TestCase("off")]
    public void None_and_off_give_no_value_where_the_option_allows_them(string word)
    {
        Values(["-w", word]).Get(Warning).Should().BeNull();
        Values([], new() { ["warning"] = word }).Get(Warning).Should().BeNull();
    }

    [TestCase("none")]
    [TestCase("off")]
    public void None_and_off_go_to_the_parser_where_the_option_does_not_allow_them(string word)
        => FluentActions.Invoking(() => Values(["--state", word]).Get(State)).Should().Throw<UsageException>().WithMessage($"--state: '{word}' is not one of ok, warning");

    [Test]
    public void A_bad_job_value_names_the_option()
        => FluentActions.Invoking(() => Values([], new() { ["warning"] = "2x" }).Get(Warning)).Should().Throw<UsageException>().WithMessage("--warning: '2x' is not a range*");

    [Test]
    public void A_repeatable_option_takes_every_command_line_value_else_the_job_s_one()
    {
        Values(["--pattern", "a", "--pattern", "b"], new() { ["pattern"] = "c" }).GetAll(Pattern).Should().Equal("a", "b");
        Values([], new() { ["pattern"] = "c" }).GetAll(Pattern).Should().Equal("c");
        Values([]).GetAll(Pattern).Should().BeEmpty();
    }

    [Test]
    public void Given_is_the_command_line_only()
    {
        Values(["-w", "1h"]).Given(Warning).Should().BeTrue();
        Values([], new() { ["warning"] = "2h" }).Given(Warning).Should().BeFalse();
    }

    [Test]
    public void Help_shows_the_declared_default_and_where_none_and_off_are_allowed()
    {
        Warning.FullHelp.Should().Be("Warning range (default: 26h; none or off: no threshold)");
        State.FullHelp.Should().Be("A state (default: warning)");
        (Warning with { Default = null }).FullHelp.Should().Be("Warning range (none or off: no threshold)");
        Pattern.FullHelp.Should().Be("Patterns");
    }
}
