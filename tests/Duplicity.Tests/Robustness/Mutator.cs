using System.Text;

namespace DuplicityChecks.Duplicity.Tests.Robustness;

/// <summary>One generated bad input: what kind of damage, where it came from, and its bytes (made on demand).</summary>
public sealed record Mutant(string Kind, string Description, Func<byte[]> Bytes, int Position = -1)
{
    public override string ToString() => Description;
}

/// <summary>
/// Generates damaged variants of a real input, seeded so that every run makes the same cases (a failing case is
/// named by its description and reproduced by its seed): empty, truncation after every line and inside every
/// line, random byte and bit flips, NUL bytes, invalid UTF-8, CRLF line ends, no final newline, a BOM, the text
/// twice, lines from a future duplicity, and (through <see cref="DateVariants"/>) impossible and DST-ambiguous dates.
/// </summary>
public static class Mutator
{
    public const int FlipsPerInput = 16;
    public const int NulsPerInput = 3;

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC3, 0x28], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
    ];

    public static IEnumerable<Mutant> Of(string name, byte[] original, int seed, IReadOnlyList<string>? futureLines = null)
    {
        yield return new("empty", $"{name}: empty", () => []);
        var lineEnds = new List<int>();
        for (var i = 0; i < original.Length; i++) if (original[i] == (byte)'\n') lineEnds.Add(i);
        var start = 0;
        for (var l = 0; l < lineEnds.Count; l++)
        {
            var end = lineEnds[l];
            if (end + 1 < original.Length)
            {
                var keep = end + 1;
                yield return new("truncated", $"{name}: cut after line {l + 1}", () => original[..keep]);
            }
            if (end - start >= 2)
            {
                var mid = start + (end - start) / 2;
                yield return new("truncated", $"{name}: cut inside line {l + 1} at byte {mid}", () => original[..mid]);
            }
            start = end + 1;
        }
        if (original.Length == 0) yield break;

        var rng = new Random(seed);
        for (var k = 0; k < FlipsPerInput; k++)
        {
            var pos = rng.Next(original.Length);
            var bit = k % 2 == 0;
            var value = bit ? (byte)(original[pos] ^ (1 << rng.Next(8))) : (byte)rng.Next(256);
            if (value == original[pos]) value ^= 0x20;
            yield return new("flipped", $"{name}: seed {seed} flip {k}: byte {pos} 0x{original[pos]:x2} -> 0x{value:x2}", () => Replace(original, pos, value), pos);
        }
        for (var k = 0; k < NulsPerInput; k++)
        {
            var pos = rng.Next(original.Length);
            yield return new("nul", $"{name}: seed {seed} NUL at byte {pos}", () => Replace(original, pos, 0), pos);
        }
        foreach (var bad in InvalidUtf8)
        {
            var at = lineEnds.Count == 0 ? 0 : lineEnds[rng.Next(lineEnds.Count)] + 1 - (rng.Next(2) == 0 ? 1 : 0) * 0;
            var mid = Math.Min(original.Length, at + rng.Next(8));
            yield return new("invalid-utf8", $"{name}: seed {seed} {Convert.ToHexString(bad)} inserted at byte {mid}", () => Insert(original, mid, bad));
        }
        yield return new("crlf", $"{name}: CRLF line ends", () => Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(original).Replace("\n", "\r\n")));
        if (original[^1] == (byte)'\n') yield return new("no-final-newline", $"{name}: no final newline", () => original[..^1]);
        yield return new("bom", $"{name}: UTF-8 BOM", () => [0xEF, 0xBB, 0xBF, .. original]);
        yield return new("twice", $"{name}: the whole text twice", () => [.. original, .. original]);
        foreach (var (future, i) in (futureLines ?? []).Select((f, i) => (f, i)))
        {
            var at = lineEnds.Count == 0 ? 0 : lineEnds[rng.Next(lineEnds.Count)] + 1;
            yield return new("future", $"{name}: future line {i} '{future}' at byte {at}", () => Insert(original, at, Encoding.UTF8.GetBytes(future + "\n")));
        }
    }

    /// <summary>Every distinct date of <paramref name="dates"/> found in the text replaced (all its occurrences) by each bad date.</summary>
    public static IEnumerable<Mutant> DateVariants(string name, byte[] original, System.Text.RegularExpressions.Regex dates, IReadOnlyList<string> badDates)
    {
        var text = Encoding.UTF8.GetString(original);
        var found = dates.Matches(text).Select(m => m.Value).Distinct().Take(3).ToList();
        foreach (var date in found)
            foreach (var bad in badDates)
                yield return new("date", $"{name}: '{date}' -> '{bad}'", () => Encoding.UTF8.GetBytes(text.Replace(date, bad, StringComparison.Ordinal)));
    }

    /// <summary>A 10 MB line (no newline inside) before the text.</summary>
    public static Mutant HugeLine(string name, byte[] original) => new("huge-line", $"{name}: 10 MB line first", () =>
    {
        var bytes = new byte[10_000_000 + 1 + original.Length];
        bytes.AsSpan(0, 10_000_000).Fill((byte)'A');
        bytes[10_000_000] = (byte)'\n';
        original.CopyTo(bytes, 10_000_001);
        return bytes;
    });

    /// <summary>A million short lines before the text.</summary>
    public static Mutant MillionLines(string name, byte[] original, string line = "x") => new("million-lines", $"{name}: a million '{line}' lines first", () =>
    {
        var one = Encoding.UTF8.GetBytes(line + "\n");
        var bytes = new byte[one.Length * 1_000_000 + original.Length];
        for (var i = 0; i < 1_000_000; i++) one.CopyTo(bytes, i * one.Length);
        original.CopyTo(bytes, one.Length * 1_000_000);
        return bytes;
    });

    private static byte[] Replace(byte[] original, int pos, byte value)
    {
        var copy = (byte[])original.Clone();
        copy[pos] = value;
        return copy;
    }

    private static byte[] Insert(byte[] original, int at, byte[] what) => [.. original.AsSpan(0, at), .. what, .. original.AsSpan(at)];
}
