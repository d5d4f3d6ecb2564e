namespace DuplicityChecks.Plugin;

/// <summary>A check's evaluation step: the only place that judges a reading against the thresholds.</summary>
public interface IEvaluator<in TReading>
{
    CheckResult Evaluate(TReading reading);
}
