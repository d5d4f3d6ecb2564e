using System.Text.RegularExpressions;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Masks secrets before anything is printed: passwords inside URLs (<c>scheme://user:secret@host</c>),
/// <c>PASSPHRASE=</c>-style assignments, and every secret value registered by the check (for example the
/// PASSPHRASE found in a job's environment). Applied to all output as the last step, at every verbosity.
/// </summary>
public sealed partial class SecretMasker
{
    public const string Placeholder = "***";

    public static readonly SecretMasker Empty = new();

    private readonly List<string> _values = [];

    public void Register(string? secret)
    {
        // Very short values would mask innocent text; they are still removed from URLs and assignments.
        if (string.IsNullOrEmpty(secret) || secret.Length < 4) return;
        lock (_values)
        {
            if (!_values.Contains(secret)) _values.Add(secret);
            _values.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    public string Mask(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var result = MaskUrlPasswords(text);
        result = AssignmentPattern().Replace(result, m => m.Groups[1].Value + Placeholder);
        lock (_values)
            foreach (var v in _values)
                result = result.Replace(v, Placeholder, StringComparison.Ordinal);
        return result;
    }

    /// <summary>Registers the password of every <c>scheme://user:password@</c> in the text, so that it is masked bare too.</summary>
    public void RegisterUrlPasswords(string text)
    {
        if (!text.Contains(":/", StringComparison.Ordinal)) return;
        foreach (Match m in UrlPasswordPattern().Matches(text))
            Register(m.Value[m.Groups[1].Length..^1]);
    }

    /// <summary>Replaces the password part of every <c>scheme://user:password@</c> in the text.</summary>
    public static string MaskUrlPasswords(string text)
        => text.Contains(":/", StringComparison.Ordinal) ? UrlPasswordPattern().Replace(text, m => m.Groups[1].Value + Placeholder + "@") : text;

    // scheme://user:password@ - the password may hold anything but whitespace ('/' appears in S3 secrets); it
    // runs greedily to the last '@' of the word so that passwords containing '@' are masked whole. Over-masking
    // a path that holds '@' is the safe failure.
    // One slash counts too: a URL that went through path normalisation ("rsync:/user:pw@host" in an exception's
    // message about the path '/nonexistent/rsync://user:pw@host') keeps its password.
    [GeneratedRegex(@"([A-Za-z][A-Za-z0-9+.\-]*:/+[^\s:/@]*:)\S*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPasswordPattern();

    [GeneratedRegex(@"\b((?:PASSPHRASE|SIGN_PASSPHRASE|FTP_PASSWORD|[A-Z_]*(?:PASSWORD|SECRET|TOKEN|SECRET_ACCESS_KEY))\s*[=:]\s*)(""[^""]*""|'[^']*'|\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex AssignmentPattern();
}
