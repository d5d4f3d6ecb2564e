using DuplicityChecks.CheckOptions;
using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Plugin;
using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.Checks.Tests.Options;

/// <summary>What a check's option table gives: its rows, its declarations and how it reads its options.</summary>
public interface IOptionTable<TOptions>
{
    static abstract IReadOnlyList<OptionRow<TOptions>> Rows { get; }

    static abstract IReadOnlyList<OptionSpec> Specs { get; }

    /// <summary>The declared options that have no row (tested on their own, or read before the job: --config).</summary>
    static abstract IReadOnlyList<string> WithoutRow { get; }

    /// <summary>The check's options from the values the resolver gives.</summary>
    static abstract TOptions From(OptionValues values);

    /// <summary>Options every command line of the table carries (one the check requires).</summary>
    static virtual IReadOnlyList<string> Required => [];
}

/// <summary>
/// The tests every row of an option table must pass, for any check: given on the command line, given by its job key
/// (or ignored there when it has none), left out, switched off with none/off where --help allows it (a bad value
/// where it does not), and a bad value as the usage error it has always been.
/// </summary>
public abstract class OptionTableTests<TOptions, TTable> where TTable : IOptionTable<TOptions>
{
    public static IEnumerable<TestCaseData> All => Cases(_ => true);

    public static IEnumerable<TestCaseData> Offered => Cases(r => r.Option.Off is not null);

    public static IEnumerable<TestCaseData> WithBad => Cases(r => r.Bad is not null);

    public static IEnumerable<TestCaseData> RefusingNone => Cases(r => r.Option.Off is null && r.Bad is not null && !r.NoneIsAValue);

    /// <summary>The check's options from a command line and a job's keys (null: no job).</summary>
    protected static TOptions Read(string[] args, IReadOnlyDictionary<string, string>? job)
        => TTable.From(JobOptions.Over(CommandLine.Parse([.. TTable.Required, .. args], TTable.Specs), job is null ? null : new JobConfig("t", "/etc/duplicity-checks.ini", job)));

    private static IEnumerable<TestCaseData> Cases(Func<OptionRow<TOptions>, bool> where) => TTable.Rows.Where(where).Select(r => r.Case());

    [Test]
    public void Every_declared_option_has_a_row()
        => TTable.Specs.Select(s => s.Long).Except(TTable.Rows.Select(r => r.Option.Long)).Should().Equal(TTable.WithoutRow);

    [TestCaseSource(nameof(All))]
    public void From_the_command_line(OptionRow<TOptions> row)
        => row.Read(Read([$"--{row.Option.Long}", row.Value], null)).Should().Be(row.Expected);

    [TestCaseSource(nameof(All))]
    public void From_its_job_key_or_never_from_the_job(OptionRow<TOptions> row)
    {
        if (row.Option.JobKey is { } key)
        {
            row.Read(Read([], new Dictionary<string, string> { [key] = row.Value })).Should().Be(row.Expected, "the job's {0} gives --{1}", key, row.Option.Long);
            row.Read(Read([$"--{row.Option.Long}", row.Value], new Dictionary<string, string> { [key] = row.Bad ?? "job-value" }))
                .Should().Be(row.Expected, "the command line wins over the job");
        }
        else
        {
            var guess = row.Option.Long.Replace('-', '_');
            row.Read(Read([], new Dictionary<string, string> { [guess] = row.Value })).Should().Be(row.Default, "--{0} has no job key", row.Option.Long);
        }
    }

    [TestCaseSource(nameof(All))]
    public void Default(OptionRow<TOptions> row)
    {
        row.Read(Read([], null)).Should().Be(row.Default);
        if (!row.Option.Repeatable) // each value of a repeatable option counts: an empty pattern matches every line, as it always did
            row.Read(Read([$"--{row.Option.Long}", ""], null)).Should().Be(row.Default, "an empty value is not given");
    }

    [TestCaseSource(nameof(Offered))]
    public void None_and_off_switch_it_off(OptionRow<TOptions> row)
    {
        row.Option.Off.Should().NotBeNull();
        foreach (var word in new[] { "none", "off" })
        {
            row.Read(Read([$"--{row.Option.Long}", word], null)).Should().BeNull("{0} switches --{1} off", word, row.Option.Long);
            if (row.Option.JobKey is { } key)
                row.Read(Read([], new Dictionary<string, string> { [key] = word })).Should().BeNull("{0} in the job switches --{1} off too", word, row.Option.Long);
        }
    }

    /// <summary>Where --help does not offer none/off, they are bad values.</summary>
    [TestCaseSource(nameof(RefusingNone))]
    public void None_and_off_are_bad_values_where_help_does_not_offer_them(OptionRow<TOptions> row)
    {
        row.Option.Off.Should().BeNull();
        foreach (var word in new[] { "none", "off" })
            FluentActions.Invoking(() => Read([$"--{row.Option.Long}", word], null)).Should().Throw<UsageException>("--help does not offer {0} for --{1}", word, row.Option.Long);
    }

    [TestCaseSource(nameof(WithBad))]
    public void A_bad_value_is_the_usage_error_it_always_was(OptionRow<TOptions> row)
        => FluentActions.Invoking(() => Read([$"--{row.Option.Long}", row.Bad!], null)).Should().Throw<UsageException>().WithMessage(row.Message);
}
