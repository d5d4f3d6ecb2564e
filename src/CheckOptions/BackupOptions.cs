using DuplicityChecks.Duplicity.Jobs;
using DuplicityChecks.Plugin.Options;

namespace DuplicityChecks.CheckOptions;

/// <summary>
/// What the options of a check that names one backup share: the job, the backup's destination, archive dir and
/// name, who runs it and its script, read once from <see cref="SharedOptions"/>, and the Fix commands they give.
/// </summary>
public abstract record BackupOptions
{
    /// <summary>Reads the shared options; the check reads its own before or after, in the order its errors come.</summary>
    protected BackupOptions(OptionValues values)
    {
        JobName = values.Get(SharedOptions.Job);
        Destination = values.Get(SharedOptions.Destination);
        ArchiveDir = values.Get(SharedOptions.ArchiveDir);
        BackupName = values.Get(SharedOptions.BackupName);
        User = values.Get(SharedOptions.User);
        Script = values.Get(SharedOptions.Script);
    }

    public string? JobName { get; }
    public string? Destination { get; }
    public string? ArchiveDir { get; }
    public string? BackupName { get; }
    public string? User { get; }

    /// <summary>The job's backup script (a job key only, where the check has no --script).</summary>
    public string? Script { get; }

    public FixCommands Fixes => new(User, Destination, ArchiveDir, BackupName, Script);
}
