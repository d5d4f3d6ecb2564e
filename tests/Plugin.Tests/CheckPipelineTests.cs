namespace DuplicityChecks.Plugin.Tests;

/// <summary>
/// The pipeline every check runs: options, then the probe's reading, then the evaluator, each once; what a probe
/// prepared to save is handed to the after-output step once the result exists, and never when there is none.
/// </summary>
public class CheckPipelineTests
{
    private readonly List<string> _steps = [];

    [SetUp]
    public void SetUp() => _steps.Clear(); // NUnit keeps one instance for the fixture's tests

    private static PluginContext Context()
        => new(CommandLine.Parse([], []), DateTimeOffset.UnixEpoch, 0, DiagnosticLog.None, new SecretMasker(), CancellationToken.None, TimeSpan.FromSeconds(10));

    private sealed class Probe(List<string> steps, bool fails) : IProbe<string>, ICommitAfterOutput
    {
        public Task<string> ReadAsync()
        {
            steps.Add("probe");
            return fails ? throw new CheckException("unreadable") : Task.FromResult("reading");
        }

        public void CommitAfterOutput() => steps.Add("commit");
    }

    private sealed class Evaluator(List<string> steps) : IEvaluator<string>
    {
        public CheckResult Evaluate(string reading)
        {
            steps.Add($"evaluate {reading}");
            return new CheckResult("judged");
        }
    }

    private CheckPipeline<string, string> Pipeline(bool probeFails = false) => new(
        Options: _ => { _steps.Add("options"); return "options"; },
        Probe: (_, _) => new Probe(_steps, probeFails),
        Evaluator: (_, _) => new Evaluator(_steps));

    [Test]
    public void Each_step_runs_once_in_order_and_the_commit_waits_for_the_output()
    {
        var context = Context();

        var result = Pipeline().RunAsync(context).GetAwaiter().GetResult();

        result.Summary.Should().Be("judged");
        _steps.Should().Equal("options", "probe", "evaluate reading");
        context.AfterOutputActions.Should().ContainSingle();
        context.AfterOutputActions[0]();
        _steps.Should().EndWith("commit");
    }

    [Test]
    public void A_probe_that_fails_is_not_evaluated_and_commits_nothing()
    {
        var context = Context();

        var run = () => Pipeline(probeFails: true).RunAsync(context).GetAwaiter().GetResult();

        run.Should().Throw<CheckException>().WithMessage("unreadable");
        _steps.Should().Equal("options", "probe");
        context.AfterOutputActions.Should().BeEmpty();
    }
}
