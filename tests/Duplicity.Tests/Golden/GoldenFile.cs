using System.Text;
using DuplicityChecks.TestSupport;

namespace DuplicityChecks.Duplicity.Tests.Golden;

/// <summary>
/// What a parser produced for an input, recorded once as readable text under <c>tests/Duplicity.Tests/Golden/</c>
/// and compared on every run: the parsers' fast paths are checked against what they produced when they were
/// recorded, not against a frozen copy of an older parser kept beside them. <c>GOLDEN_RECORD=1</c> writes the files
/// instead of comparing (then read the diff: every change in it is a change of behaviour).
/// </summary>
public static class GoldenFile
{
    public const string RecordVariable = "GOLDEN_RECORD";

    public static bool Recording => Environment.GetEnvironmentVariable(RecordVariable) == "1";

    /// <summary>The folder of one family of golden files (<c>Logs</c>, <c>CollectionStatus</c>).</summary>
    public static string Folder(string family) => Path.Combine(RepoPaths.Root, "tests", "Duplicity.Tests", "Golden", family);

    /// <summary>A file name made of an input's name: letters, digits, dots and dashes, the rest a dash.</summary>
    public static string NameOf(string input)
    {
        var sb = new StringBuilder(input.Length);
        foreach (var c in input) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        return sb.Append(".txt").ToString();
    }

    /// <summary>Records <paramref name="actual"/> (when recording) or compares it with the recorded text.</summary>
    public static void Check(string family, string name, string actual)
    {
        // An empty dump would record nothing and compare nothing.
        actual.Should().NotBeNullOrWhiteSpace($"the dump for {family}/{name} must hold the parsed model");
        var path = Path.Combine(Folder(family), name);
        if (Recording)
        {
            Directory.CreateDirectory(Folder(family));
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }
        File.Exists(path).Should().BeTrue($"{path} is recorded (run once with {RecordVariable}=1, then review the diff)");
        var expected = File.ReadAllText(path, Encoding.UTF8);
        if (actual != expected) actual.Should().Be(expected, $"{family}/{name} differs from its recording (first difference at character {FirstDifference(expected, actual)})");
    }

    /// <summary>
    /// Every recorded file of <paramref name="family"/> has an input that made it this run (a fixture gone or
    /// renamed leaves no stale recording), and there are at least <paramref name="atLeast"/> of them.
    /// </summary>
    public static void CheckComplete(string family, IReadOnlyCollection<string> names, int atLeast)
    {
        names.Should().HaveCountGreaterThanOrEqualTo(atLeast, $"the {family} inputs are there");
        if (Recording)
        {
            foreach (var stale in Recorded(family).Except(names)) File.Delete(Path.Combine(Folder(family), stale));
            return;
        }
        Recorded(family).Should().BeEquivalentTo(names, $"every golden file of {family} has its input, and every input its golden file");
    }

    private static IEnumerable<string> Recorded(string family)
        => Directory.Exists(Folder(family)) ? Directory.EnumerateFiles(Folder(family)).Select(f => Path.GetFileName(f)!) : [];

    private static int FirstDifference(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }
}
