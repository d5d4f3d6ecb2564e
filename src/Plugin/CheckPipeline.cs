namespace DuplicityChecks.Plugin;

/// <summary>
/// A check as its three steps, each run once and in this order: the options (parsed options merged with the job),
/// the probe that acquires a reading, the evaluator that turns the reading into the result. The runner presents
/// the result; what a probe prepared to save is committed after the output, once the result exists and was written.
/// </summary>
/// <param name="Options">Builds the check's options from the parsed command line (a usage error is thrown here).</param>
/// <param name="Probe">The acquisition step for these options.</param>
/// <param name="Evaluator">The evaluation step for these options.</param>
public sealed record CheckPipeline<TOptions, TReading>(
    Func<PluginContext, TOptions> Options,
    Func<TOptions, PluginContext, IProbe<TReading>> Probe,
    Func<TOptions, PluginContext, IEvaluator<TReading>> Evaluator)
{
    /// <summary>Acquire, then evaluate; the result goes to the runner, which presents it.</summary>
    public async Task<CheckResult> RunAsync(PluginContext context)
    {
        var options = Options(context);
        var probe = Probe(options, context);
        var reading = await probe.ReadAsync().ConfigureAwait(false);
        var result = Evaluator(options, context).Evaluate(reading);
        if (probe is ICommitAfterOutput prepared) context.AfterOutput(prepared.CommitAfterOutput);
        return result;
    }
}
