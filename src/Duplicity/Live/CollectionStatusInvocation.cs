namespace DuplicityChecks.Duplicity.Live;

/// <summary>How to run <c>duplicity collection-status</c> for one backup.</summary>
public sealed record CollectionStatusInvocation(
    string Destination,
    string DuplicityPath = CollectionStatusInvocation.DefaultDuplicity,
    string? ArchiveDir = null,
    string? BackupName = null,
    string? SudoUser = null)
{
    public const string DefaultDuplicity = "/usr/bin/duplicity";
    public const string SudoPath = "/usr/bin/sudo";

    /// <summary>
    /// The program and its argument array (never a shell). With a sudo user: <c>sudo -n -u USER duplicity ...</c>;
    /// <c>-n</c> makes sudo fail at once instead of waiting for a password nobody will type.
    /// </summary>
    public (string Program, IReadOnlyList<string> Arguments) Command(string machineLogPath)
    {
        var args = new List<string>();
        if (SudoUser is not null) args.AddRange(["-n", "-u", SudoUser, "--", DuplicityPath]);
        args.Add("collection-status");
        if (ArchiveDir is not null) args.AddRange(["--archive-dir", ArchiveDir]);
        if (BackupName is not null) args.AddRange(["--name", BackupName]);
        args.AddRange(["--log-file", machineLogPath, Destination]);
        return (SudoUser is not null ? SudoPath : DuplicityPath, args);
    }
}
