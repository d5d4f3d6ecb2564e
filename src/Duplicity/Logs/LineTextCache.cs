using System.Text;

namespace DuplicityChecks.Duplicity.Logs;

/// <summary>
/// Decodes the lines the scanner keeps (failure lines, their continuation lines, exception lines) and hands out
/// the same string again when the same bytes come back: a big log repeats the same failure in run after run, and
/// a new string per occurrence (plus its trimmed copy) was most of what a first scan allocated. A line is served
/// from the cache only when its bytes equal the bytes the cached string was decoded from (decoding is a function
/// of the bytes, invalid UTF-8 included).
/// </summary>
internal sealed class LineTextCache
{
    private const int SlotBits = 4;
    private const int Slots = 1 << SlotBits;
    private const int MaxCachedLength = 512;

    private readonly Entry?[] _entries = new Entry?[Slots];

    private sealed class Entry(byte[] bytes, string text)
    {
        public readonly byte[] Bytes = bytes;
        public readonly string Text = text;
        public string? Trimmed;
    }

    /// <summary>The line's text, as <c>Encoding.UTF8.GetString</c> gives it.</summary>
    public string Text(ReadOnlySpan<byte> bytes) => Lookup(bytes)?.Text ?? Encoding.UTF8.GetString(bytes);

    /// <summary>The line's text trimmed, as <c>Encoding.UTF8.GetString(bytes).Trim()</c> gives it.</summary>
    public string TrimmedText(ReadOnlySpan<byte> bytes)
    {
        if (Lookup(bytes) is not { } entry) return Encoding.UTF8.GetString(bytes).Trim();
        return entry.Trimmed ??= entry.Text.Trim();
    }

    private Entry? Lookup(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > MaxCachedLength) return null;
        // Fibonacci hashing of the length and three bytes: the top bits of the product pick the slot.
        var key = (uint)bytes.Length ^ (uint)bytes[0] << 8 ^ (uint)bytes[bytes.Length / 2] << 16 ^ (uint)bytes[^1] << 24;
        var slot = (int)((key * 2654435769u) >> (32 - SlotBits));
        var entry = _entries[slot];
        if (entry is not null && bytes.SequenceEqual(entry.Bytes)) return entry;
        entry = new Entry(bytes.ToArray(), Encoding.UTF8.GetString(bytes));
        _entries[slot] = entry;
        return entry;
    }
}
