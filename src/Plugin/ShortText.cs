namespace DuplicityChecks.Plugin;

/// <summary>
/// Cuts a text that is quoted in the output (a log line, a line a parser did not understand) to a length. The cut
/// falls between words, and the word it would have split is left out whole: half a word is what the secret masker
/// cannot recognise ("rsync://u:PW" without its "@host" is no URL password any more), so it never reaches the output.
/// </summary>
public static class ShortText
{
    public const string Ellipsis = "...";

    /// <summary>The text when it fits in <paramref name="max"/> characters, else its whole words that fit and "...".</summary>
    public static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        var keep = Math.Max(0, max - Ellipsis.Length);
        // The word at the cut continues past it unless the cut falls on a blank.
        var end = char.IsWhiteSpace(text[keep]) ? keep : text.AsSpan(0, keep).LastIndexOfAny(' ', '\t');
        return end <= 0 ? Ellipsis : string.Concat(text.AsSpan(0, end).TrimEnd(), " ", Ellipsis);
    }

    /// <inheritdoc cref="Cut(string, int)"/>
    public static string Cut(ReadOnlySpan<char> text, int max) => text.Length <= max ? text.ToString() : Cut(text[..Math.Min(text.Length, max + 1)].ToString(), max);
}
