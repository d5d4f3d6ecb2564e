namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// The exact commands a hint quotes, filled in from the job (design.md: "Hints quote the exact command to
/// run"). Placeholders in angle brackets stand where the job does not say (the operator fills them in).
/// </summary>
public sealed record FixCommands(string? User, string? Destination, string? ArchiveDir, string? BackupName, string? Script, string Duplicity = "duplicity")
{
    private string AsUser(string command) => User is null ? command : $"sudo -iu {User} {command}";

    private string CacheOptions => (ArchiveDir is null ? "" : $" --archive-dir {ArchiveDir}") + (BackupName is null ? "" : $" --name {BackupName}");

    private string Target => Destination ?? "<destination>";

    /// <summary>Deletes orphaned and incomplete sets (what collection-status tells you to run).</summary>
    public string Cleanup => AsUser($"{Duplicity} cleanup{CacheOptions} --force {Target}");

    /// <summary>Confirms the state from the destination itself.</summary>
    public string CollectionStatus => AsUser($"{Duplicity} collection-status{CacheOptions} {Target}");

    /// <summary>Runs the job by hand (in tmux or screen, so a passphrase prompt can be answered).</summary>
    public string RunJob => AsUser(Script ?? "<backup script>");
}
