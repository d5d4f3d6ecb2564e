using System.Text.RegularExpressions;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Masks secrets before anything is printed or logged: passwords inside URLs (<c>scheme://user:secret@host</c>,
/// also with an '@' in the user name), secret query parameters (<c>?aws_secret_access_key=...</c>),
/// <c>PASSPHRASE=</c>-style assignments (also <c>export X='...'</c>), <c>--x-password VALUE</c> options, and every
/// secret value registered or learned by the check, bare, URL-encoded, URL-decoded and as Serilog quotes it.
/// It is the first thing done to a text that is shown: any other rewriting (a '|' made '/', lines joined, a text
/// cut short) could break a secret's form so that it is no longer recognised.
/// </summary>
public sealed partial class SecretMasker
{
    public const string Placeholder = "***";

    /// <summary>Shorter values would mask innocent text; they are still removed from URLs and assignments.</summary>
    private const int MinimumBareLength = 4;

    /// <summary>A masker with nothing registered, for callers that have none; it learns nothing either.</summary>
    public static readonly SecretMasker Empty = new(learns: false);

    private readonly bool _learns;
    private readonly List<string> _values = [];

    public SecretMasker() : this(learns: true) { }

    private SecretMasker(bool learns) => _learns = learns;

    /// <summary>Registers a secret: it is masked wherever it appears, in each of its forms.</summary>
    public void Register(string? secret)
    {
        if (!_learns || string.IsNullOrEmpty(secret)) return;
        lock (_values)
        {
            foreach (var form in SecretForms.Of(secret))
                if (form.Length >= MinimumBareLength && !_values.Contains(form)) _values.Add(form);
            // Longest first: a secret that contains another is replaced whole.
            _values.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    /// <summary>
    /// Registers every secret the text shows in a recognised form (a URL password, a secret query parameter, an
    /// assignment, a password option), so that its bare repeats elsewhere are masked too.
    /// </summary>
    public void Learn(string? text)
    {
        if (!_learns || string.IsNullOrEmpty(text)) return;
        if (text.Contains(":/", StringComparison.Ordinal))
        {
            foreach (Match m in UrlPasswordPattern().Matches(text))
            {
                Register(m.Groups["secret"].Value);
                Register(NetlocPassword(m.Value));
            }
        }
        if (text.Contains('=', StringComparison.Ordinal))
            foreach (Match m in QuerySecretPattern().Matches(text)) Register(m.Groups["secret"].Value);
        foreach (Match m in AssignmentPattern().Matches(text)) Register(Unquoted(m.Groups["secret"].Value));
        foreach (Match m in OptionPattern().Matches(text)) Register(Unquoted(m.Groups["secret"].Value));
    }

    /// <summary>Learns from the text, then masks every registered secret and every recognised form in it.</summary>
    public string Mask(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        Learn(text);
        var result = text;
        lock (_values)
            foreach (var v in _values)
                // Case-insensitive: %7c and %7C are the same encoded character; over-masking is the safe failure.
                result = result.Replace(v, Placeholder, StringComparison.OrdinalIgnoreCase);
        return MaskInPlace(result);
    }

    /// <summary>Masks the recognised forms only (URL passwords, query secrets, assignments, password options).</summary>
    public static string MaskInPlace(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var result = text;
        if (result.Contains(":/", StringComparison.Ordinal))
            result = UrlPasswordPattern().Replace(result, m => m.Groups["keep"].Value + Placeholder + "@");
        if (result.Contains('=', StringComparison.Ordinal))
            result = QuerySecretPattern().Replace(result, m => m.Groups["keep"].Value + Placeholder);
        result = AssignmentPattern().Replace(result, m => m.Groups["keep"].Value + Placeholder);
        result = OptionPattern().Replace(result, m => m.Groups["keep"].Value + Placeholder);
        return result;
    }

    /// <summary>Replaces the password part of every <c>scheme://user:password@</c> in the text.</summary>
    public static string MaskUrlPasswords(string text)
        => text.Contains(":/", StringComparison.Ordinal) ? UrlPasswordPattern().Replace(text, m => m.Groups["keep"].Value + Placeholder + "@") : text;

    /// <summary>Registers the password of every <c>scheme://user:password@</c> in the text, so that it is masked bare too.</summary>
    public void RegisterUrlPasswords(string text) => Learn(text);

    /// <summary>An environment variable whose name says it holds a secret (as the assignment pattern reads names).</summary>
    public static bool IsSecretName(string name) => SecretNamePattern().IsMatch(name);

    /// <summary>
    /// The password as duplicity's URL parser (Python's urlsplit) takes it: the host part ends at the first '/', '?'
    /// or '#', the user information at its last '@', and the password starts after the user's first ':'.
    /// </summary>
    private static string? NetlocPassword(string url)
    {
        var start = url.IndexOf("//", StringComparison.Ordinal);
        var afterSlashes = start < 0 ? url.IndexOf(":/", StringComparison.Ordinal) + 2 : start + 2;
        while (afterSlashes < url.Length && url[afterSlashes] == '/') afterSlashes++;
        var rest = url[afterSlashes..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var netloc = end < 0 ? rest : rest[..end];
        var at = netloc.LastIndexOf('@');
        if (at < 0) return null;
        var userInfo = netloc[..at];
        var colon = userInfo.IndexOf(':');
        return colon < 0 ? null : userInfo[(colon + 1)..];
    }

    private static string Unquoted(string value)
        => value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    // scheme://user:password@ - the user may hold '@' (sftp://u@example.com:PW@host); the password may hold anything
    // but whitespace ('/' appears in S3 secrets) and runs greedily to the last '@' of the word, so that a password
    // with '@' is masked whole. Over-masking a path that holds '@' is the safe failure.
    // One slash counts too: a URL that went through path normalisation ("rsync:/user:pw@host" in an exception's
    // message about the path '/nonexistent/rsync://user:pw@host') keeps its password.
    [GeneratedRegex(@"(?<keep>[A-Za-z][A-Za-z0-9+.\-]*:/+[^\s:/]*:)(?<secret>\S*)@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPasswordPattern();

    // A query or matrix parameter whose name says it is secret: ?aws_secret_access_key=..., &password=..., ;token=...
    [GeneratedRegex(@"(?<keep>[?&;][A-Za-z0-9_.\-]*(?:secret|passw|passphrase|pwd|token|key|auth|signature|sig|credential)[A-Za-z0-9_.\-]*=)(?<secret>[^&\s#'""]*)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex QuerySecretPattern();

    // NAME=value, NAME: value, export NAME="value": PASSPHRASE, SIGN_PASSPHRASE, DUPLICITY_PASSPHRASE, RSYNC_PASSWORD,
    // FTP_PASSWORD, AWS_SECRET_ACCESS_KEY, B2_APPLICATION_KEY, AZURE_ACCOUNT_KEY, CLOUDFILES_APIKEY, *_TOKEN ...
    // With '=' in any case. With ':' only an upper-case name (PASSPHRASE: x) or a name that ends with the word
    // (password: x): "passphrase_eof: duplicity asked ..." is the check's own sub-check text, and masking "duplicity"
    // there would blank the word everywhere. Key ids (--sign-key, ENCRYPT_KEY) are not secrets and stay.
    [GeneratedRegex(@"(?<keep>(?<![A-Za-z0-9])(?:(?i:[A-Za-z0-9_]*(?:PASSPHRASE|PASSWORD|PASSWD|SECRET|TOKEN|(?:ACCOUNT|APPLICATION|API|PRIVATE|ACCESS|MASTER)_?KEY)[A-Za-z0-9_]*)\s*=|(?:[A-Z0-9_]*(?:PASSPHRASE|PASSWORD|PASSWD|SECRET|TOKEN|(?:ACCOUNT|APPLICATION|API|PRIVATE|ACCESS|MASTER)_?KEY)[A-Z0-9_]*|(?i:[A-Za-z0-9_]*(?:passphrase|password|passwd|secret|token)))[ \t]*:)\s*)(?<secret>""[^""]*""|'[^']*'|[^\s""']+)",
        RegexOptions.CultureInvariant)]
    private static partial Regex AssignmentPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]*(?:PASSPHRASE|PASSWORD|PASSWD|SECRET|TOKEN|(?:ACCOUNT|APPLICATION|API|PRIVATE|ACCESS|MASTER)_?KEY)[A-Za-z0-9_]*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretNamePattern();

    // --ftp-password VALUE, --webdav-password=VALUE, --x-secret VALUE (wrappers and other tools in a ps capture).
    [GeneratedRegex(@"(?<keep>--[A-Za-z0-9\-]*(?:password|passphrase|secret|token)[A-Za-z0-9\-]*(?:=|\s+))(?<secret>""[^""]*""|'[^']*'|[^\s""']+)",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OptionPattern();
}
