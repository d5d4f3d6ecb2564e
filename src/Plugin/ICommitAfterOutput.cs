namespace DuplicityChecks.Plugin;

/// <summary>
/// A probe that prepared state while reading (the log tail's position) and saves it only once the result is
/// out: the pipeline hands <see cref="CommitAfterOutput"/> to <see cref="PluginContext.AfterOutput"/>.
/// </summary>
public interface ICommitAfterOutput
{
    void CommitAfterOutput();
}
