using System.Globalization;
using System.Text;
using DuplicityChecks.Duplicity.Model;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>
/// The health facts of a collection, as one comparable string: every chain and set (kind, type, time, volumes,
/// completeness), the incomplete and orphaned counts, the newest-set rule, and the last complete backup and full
/// that the freshness check judges. Not the name, source or warnings (they never make a verdict OK).
/// </summary>
public static class Facts
{
    public static string Of(BackupCollection c)
    {
        var sb = new StringBuilder();
        foreach (var chain in c.Chains)
        {
            sb.Append(chain.Kind).Append('[');
            foreach (var s in chain.Sets)
                sb.Append(s.TypeName[0]).Append(' ').Append(T(s.Time)).Append(' ').Append(s.Volumes).Append(s.Complete ? "" : " partial").Append("; ");
            sb.Append("] ");
        }
        sb.Append("incomplete ").Append(c.IncompleteSets).Append(" orphaned ").Append(c.OrphanedSets)
            .Append(" newest-may-be-incomplete ").Append(c.NewestSetMayBeIncomplete)
            .Append(" last ").Append(c.LastCompleteBackup is { } l ? T(l.Time) : "none")
            .Append(" full ").Append(c.LastCompleteFull is { } f ? T(f.Time) : "none");
        return sb.ToString();
    }

    private static string T(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
