using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Jobs;

/// <summary>
/// Who may have written a file or a folder: only root or the user running the check may own it (the owner can
/// change its mode and content), and neither group nor others may write it. A folder others can write is not
/// trusted even when sticky (as /tmp is): anyone may add a name to it, so a path through it may lead anywhere.
/// </summary>
internal static class TrustRule
{
    private const uint GroupWrite = 0x10; // 0020
    private const uint OtherWrite = 0x2;  // 0002
    private const uint Sticky = 0x200;    // 01000

    /// <summary>What is wrong with <paramref name="status"/>, and the command that fixes it; null when it is trusted.</summary>
    public static (string Problem, string Fix)? Check(FileStatus status, string path, uint self)
    {
        if (status.Owner != 0 && status.Owner != self)
            return ($"is owned by uid {status.Owner}, neither root nor the user running the check (uid {self})", $"chown root {path}");
        var group = (status.Permissions & GroupWrite) != 0;
        var others = (status.Permissions & OtherWrite) != 0;
        if (!group && !others) return null;
        var who = group && others ? "group and others" : group ? "group" : "others";
        if (others && status.IsDirectory && (status.Permissions & Sticky) != 0)
            return ($"is writable by {who} (sticky, yet anyone can add a name to it)", "keep job files in a folder only root can write, such as /etc");
        return ($"is writable by {who}", $"chmod {(group && others ? "go" : group ? "g" : "o")}-w {path}");
    }
}
