namespace DuplicityChecks.Plugin;

/// <summary>
/// A check's acquisition step: reads what the check judges and returns it as a reading, judging nothing. An
/// expected condition (a missing log, an unreachable destination) is part of the reading; an exception means the
/// check cannot answer (UNKNOWN).
/// </summary>
public interface IProbe<TReading>
{
    Task<TReading> ReadAsync();
}
