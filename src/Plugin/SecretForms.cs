namespace DuplicityChecks.Plugin;

/// <summary>
/// The forms in which a secret can reach the output: as it is, URL-decoded (duplicity unquotes a URL's password, and
/// its errors show it so), URL-encoded (a password from the environment written into a URL, with %20 or '+' for a
/// blank), as Serilog quotes a string value (backslash and double quote escaped), and with '|' made '/' (how human
/// text carries a perfdata separator).
/// </summary>
internal static class SecretForms
{
    /// <summary>Longer values are masked where a pattern finds them, not searched for bare: a bound on the work.</summary>
    public const int MaxLength = 1024;

    public static IEnumerable<string> Of(string secret)
    {
        if (secret.Length > MaxLength) yield break;
        var forms = new HashSet<string>(StringComparer.Ordinal) { secret };
        if (secret.Contains('%') || secret.Contains('+'))
        {
            forms.Add(Uri.UnescapeDataString(secret));
            forms.Add(Uri.UnescapeDataString(secret.Replace('+', ' ')));
        }
        var encoded = Uri.EscapeDataString(secret);
        forms.Add(encoded);
        forms.Add(encoded.Replace("%20", "+", StringComparison.Ordinal));
        forms.Add(secret.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal));
        forms.Add(secret.Replace('|', '/'));
        foreach (var f in forms) yield return f;
    }
}
