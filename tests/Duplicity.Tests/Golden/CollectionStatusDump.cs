using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DuplicityChecks.Duplicity.MachineLog;
using DuplicityChecks.Duplicity.Model;
using DuplicityChecks.Plugin;

namespace DuplicityChecks.Duplicity.Tests.Golden;

/// <summary>A collection-status model in full as readable text, or the refusal's message; a machine log's stanzas.</summary>
public static class CollectionStatusDump
{
    /// <summary>Everything a parse gives: the model in full, or the refusal's message.</summary>
    public static string Outcome(Func<BackupCollection> parse)
    {
        try
        {
            return Of(parse());
        }
        catch (CheckException e)
        {
            return "refused: " + e.Message + "\n";
        }
    }

    public static string Of(BackupCollection c)
    {
        var sb = new StringBuilder();
        sb.Append($"{c.Name}|{c.Source}|{c.SourceDescription}|{c.DuplicityVersion}|inc {c.IncompleteSets}|orph {c.OrphanedSets}|newest {c.NewestSetMayBeIncomplete}|lock {c.Lock}\n");
        foreach (var chain in c.Chains)
        {
            sb.Append(chain.Kind).Append(':');
            foreach (var s in chain.Sets) sb.Append(' ').Append(Set(s));
            sb.Append('\n');
        }
        foreach (var s in c.IncompleteSetList) sb.Append("incomplete ").Append(Set(s)).Append('\n');
        foreach (var w in c.Warnings) sb.Append("warning ").Append(LogScanDump.Escape(w)).Append('\n');
        return sb.ToString();
    }

    private static string Set(BackupSet s)
        => $"{s.Type}/{s.Time.ToString("O", CultureInfo.InvariantCulture)}/{s.Volumes}/{s.Encrypted}/{s.Complete}/{s.StartTime?.ToString("O", CultureInfo.InvariantCulture)}";

    public static string Stanza(MachineLogStanza s)
        => LogScanDump.Escape($"{s.Level}|{s.Code}|{s.Extra}|{s.LineNumber}|{string.Join("\u241E", s.ExtraLines)}|{string.Join("\u241E", s.Message)}");

    /// <summary>A short line for a variant: the dump's first line and a digest of the whole.</summary>
    public static string Summary(string dump)
        => $"{LogScanDump.Escape(dump.Split('\n')[0])} #{Digest(dump)}";

    public static string Digest(string dump) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dump)))[..16].ToLowerInvariant();
}
