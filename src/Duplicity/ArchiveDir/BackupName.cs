using System.Text;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.ArchiveDir;

/// <summary>
/// The per-backup folder inside the archive dir: <c>--name NAME</c>, or the md5 of the target URL exactly as
/// typed on duplicity's command line (upstream <c>generate_default_backup_name</c>). No normalisation at all:
/// a trailing '/', <c>user:password@</c> or <c>file://</c> vs <c>file:///</c> give another folder.
/// </summary>
public static class BackupName
{
    /// <summary>md5 (lower-case hex) of the URL's UTF-8 bytes, as Python's <c>md5(url.encode()).hexdigest()</c>.</summary>
    public static string FromUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Hashes.Md5Hex(Encoding.UTF8.GetBytes(url));
    }

    /// <summary>The folder name: <paramref name="name"/> when given (duplicity's <c>--name</c> wins), else md5 of the URL; null when neither is known.</summary>
    public static string? Resolve(string? name, string? destinationUrl)
        => !string.IsNullOrEmpty(name) ? name
            : !string.IsNullOrEmpty(destinationUrl) ? FromUrl(destinationUrl)
            : null;
}
