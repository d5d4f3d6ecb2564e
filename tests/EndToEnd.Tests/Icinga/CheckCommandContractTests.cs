using System.Globalization;
using System.Text.RegularExpressions;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.EndToEnd.Tests.Icinga;

/// <summary>
/// icinga-commands.conf and the executables' --help cannot drift apart: every long option of a check is an
/// argument of its CheckCommand (with the house-style custom variable and the help's description), every
/// argument is a real option, and the command's timeout stays above the plugin's own default -t.
/// </summary>
[Category("EndToEnd")]
public partial class CheckCommandContractTests
{
    private static readonly string[] Checks = ["freshness", "running", "log"];

    /// <summary>Handled by the plugin layer for people, not for Icinga: --verbose is -v/-vv/-vvv from verbose_level.</summary>
    private static readonly string[] NotArguments = ["help", "version", "verbose"];

    public static IEnumerable<string> CheckNames => Checks;

    [TestCaseSource(nameof(CheckNames))]
    public void Every_option_in_help_is_an_argument_and_every_argument_a_real_option(string check)
    {
        var help = HelpOptions(check);
        var command = CommandBlock(check);
        var arguments = Arguments(command);

        arguments.Keys.Where(k => k.StartsWith("--", StringComparison.Ordinal)).Select(k => k[2..])
            .Should().BeEquivalentTo(help.Keys.Except(NotArguments), "the CheckCommand duplicity_{0} and --help list the same long options", check);
        arguments.Keys.Where(k => !k.StartsWith("--", StringComparison.Ordinal)).Should().BeEquivalentTo(["-v", "-vv", "-vvv"]);

        foreach (var (key, body) in arguments)
        {
            if (key.StartsWith("--", StringComparison.Ordinal))
            {
                var option = key[2..];
                body.Should().Contain($"value = \"$duplicity_{check}_{option.Replace('-', '_')}$\"", "{0} follows <command>_<long option>", key);
                Description(body).Should().Be(help[option].Description, "the description of {0} is copied from --help", key);
                if (help[option].Description.Contains("repeatable", StringComparison.Ordinal))
                    body.Should().Contain("repeat_key = true", "{0} is repeatable: an array gives one option per element", key);
            }
            else
            {
                body.Should().Contain($"set_if = {{{{ macro(\"$duplicity_{check}_verbose_level$\") == {key.Length - 1} }}}}");
            }
        }

        foreach (var variable in VarsRegex().Matches(command).Select(m => m.Groups[1].Value))
        {
            var suffix = variable[$"duplicity_{check}_".Length..];
            (suffix == "verbose_level" || help.ContainsKey(suffix.Replace('_', '-')))
                .Should().BeTrue("vars.{0} must belong to a real option", variable);
        }
    }

    [TestCaseSource(nameof(CheckNames))]
    public void The_command_runs_the_check_from_PluginContribDir_with_a_timeout_above_the_plugins_own(string check)
    {
        var command = CommandBlock(check);
        command.Should().Contain($"command = [ PluginContribDir + \"/check_duplicity_{check}\" ]");
        var timeout = TimeoutRegex().Match(command);
        timeout.Success.Should().BeTrue("the CheckCommand sets its own timeout");
        var commandSeconds = int.Parse(timeout.Groups[1].Value, CultureInfo.InvariantCulture) * (timeout.Groups[2].Value == "m" ? 60 : 1);

        var pluginDefault = DefaultRegex().Match(HelpOptions(check)["timeout"].Description);
        pluginDefault.Success.Should().BeTrue();
        var pluginSeconds = int.Parse(pluginDefault.Groups[1].Value, CultureInfo.InvariantCulture);
        pluginSeconds.Should().BeLessThan(commandSeconds, "the plugin must time out (UNKNOWN, naming the stage) before Icinga kills it");
        if (VarRegex(check, "timeout").Match(command) is { Success: true } v)
            int.Parse(v.Groups[1].Value, CultureInfo.InvariantCulture).Should().BeLessThan(commandSeconds);
    }

    public sealed record HelpOption(string Description);

    /// <summary>Long option name -> its help text (continuation lines joined), from the published executable.</summary>
    private static Dictionary<string, HelpOption> HelpOptions(string check)
    {
        var help = ProcessRun.Check($"check_duplicity_{check}", "--help");
        help.ExitCode.Should().Be(3);
        var section = help.Stdout.Split("Options:\n")[1].Split("\nExamples:")[0];
        var options = new Dictionary<string, HelpOption>();
        string? current = null;
        var text = new List<string>();
        void Flush() { if (current is not null) options[current] = new HelpOption(string.Join(' ', text)); }
        foreach (var line in section.Split('\n'))
        {
            if (OptionLineRegex().Match(line) is { Success: true } m)
            {
                Flush();
                current = m.Groups[1].Value;
                text.Clear();
            }
            else if (line.Trim().Length > 0) text.Add(line.Trim());
        }
        Flush();
        options.Should().ContainKeys("help", "timeout");
        return options;
    }

    private static string CommandBlock(string check)
    {
        var conf = File.ReadAllText(Path.Combine(RepoPaths.Root, "icinga-commands.conf"));
        var start = conf.IndexOf($"object CheckCommand \"duplicity_{check}\" {{", StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, "icinga-commands.conf defines duplicity_{0}", check);
        var end = conf.IndexOf("\n}\n", start, StringComparison.Ordinal);
        return conf[start..(end + 2)];
    }

    /// <summary>Argument key -> its { ... } body (one level: bodies hold no nested braces except {{ }} lambdas).</summary>
    private static Dictionary<string, string> Arguments(string command)
    {
        var result = new Dictionary<string, string>();
        foreach (Match m in ArgumentRegex().Matches(command))
        {
            result.Should().NotContainKey(m.Groups[1].Value);
            result[m.Groups[1].Value] = m.Groups[2].Value;
        }
        return result;
    }

    private static string Description(string body) => DescriptionRegex().Match(body).Groups[1].Value.Replace("\\\"", "\"", StringComparison.Ordinal);

    private static Regex VarRegex(string check, string option) => new($@"vars\.duplicity_{check}_{option} = (\d+)");

    [GeneratedRegex(@"^ (?:-\w, |    )--([a-z-]+)(?: \S+)?$")]
    private static partial Regex OptionLineRegex();

    [GeneratedRegex(@"^\t\t""(-[^""]+)"" = \{\n((?:.*\n)*?)\t\t\}", RegexOptions.Multiline)]
    private static partial Regex ArgumentRegex();

    [GeneratedRegex(@"description = ""((?:[^""\\]|\\.)*)""")]
    private static partial Regex DescriptionRegex();

    [GeneratedRegex(@"^\tvars\.([a-z_]+) = ", RegexOptions.Multiline)]
    private static partial Regex VarsRegex();

    [GeneratedRegex(@"^\ttimeout = (\d+)([sm])$", RegexOptions.Multiline)]
    private static partial Regex TimeoutRegex();

    [GeneratedRegex(@"\(default: (\d+)\)")]
    private static partial Regex DefaultRegex();
}
