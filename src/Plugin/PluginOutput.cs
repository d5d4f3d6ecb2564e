using System.Text;

namespace DuplicityChecks.Plugin;

/// <summary>
/// Renders a <see cref="CheckResult"/> once (presentation phase):
/// <code>
/// DUPLICITY FRESHNESS WARNING - summary          (perfdata here when there is no long output)
/// \_ [WARNING] sub-check
///   \_ [OK] child
/// Fix: hint
/// diagnostics (-vv, -vvv)
/// | label=1s;...                                   (perfdata on a final line when there is long output)
/// </code>
/// Secrets are masked first, in the raw text of every part; then a <c>|</c> never appears in human text (Icinga 2
/// would take what follows as perfdata), and the whole text is capped (default 4 KiB) with "... N more lines" when cut.
/// </summary>
public static class PluginOutput
{
    public const int DefaultMaxBytes = 4096;

    public static string Render(
        string service,
        CheckResult result,
        int verbosity,
        IReadOnlyList<string>? diagnostics = null,
        SecretMasker? masker = null,
        int maxBytes = DefaultMaxBytes)
    {
        masker ??= new SecretMasker();
        // Every text is read for secrets before any is shown, so that a password seen in one line (a URL's) is masked
        // where another repeats it bare; then masking is the first thing done to each text, before lines are joined,
        // '|' is replaced and the whole is cut to size (any of which could break a secret's recognisable form).
        LearnAll(masker, result, diagnostics);
        string Shown(string text) => Sanitise(OneLine(masker.Mask(text)));

        var state = result.State;
        var first = $"{service} {state.Label()} - {Shown(result.Summary)}";

        var lines = new List<string>();
        foreach (var sub in result.SubChecks) AddSubCheck(lines, sub, 0, verbosity, Shown);
        foreach (var hint in result.Hints) lines.Add($"Fix: {Shown(hint)}");
        if (diagnostics is not null)
            foreach (var d in diagnostics)
                foreach (var part in masker.Mask(d).Split('\n'))
                    lines.Add(Sanitise(part.TrimEnd('\r')));

        var perf = string.Join(' ', result.PerfData.Select(p => masker.Mask(p.ToString())));

        if (lines.Count == 0)
        {
            var single = perf.Length > 0 ? $"{first} | {perf}" : first;
            return Cap(single, [], "", maxBytes) + "\n";
        }
        return Cap(first, lines, perf.Length > 0 ? $"| {perf}" : "", maxBytes);
    }

    private static void LearnAll(SecretMasker masker, CheckResult result, IReadOnlyList<string>? diagnostics)
    {
        masker.Learn(result.Summary);
        foreach (var sub in result.SubChecks) LearnAll(masker, sub);
        foreach (var hint in result.Hints) masker.Learn(hint);
        if (diagnostics is not null) foreach (var d in diagnostics) masker.Learn(d);
    }

    private static void LearnAll(SecretMasker masker, SubCheck sub)
    {
        masker.Learn(sub.Text);
        foreach (var child in sub.Children) LearnAll(masker, child);
    }

    private static void AddSubCheck(List<string> lines, SubCheck sub, int depth, int verbosity, Func<string, string> shown)
    {
        var state = sub.State;
        // At default verbosity only what needs attention is listed; -v shows every sub-check and detail line.
        if (verbosity == 0 && state == ServiceState.Ok) return;
        if (sub.IsDetail && verbosity == 0 && state == ServiceState.Ok) return;
        lines.Add($"{new string(' ', depth * 2)}\\_ [{state.Label()}] {shown(sub.Text)}");
        foreach (var child in sub.Children) AddSubCheck(lines, child, depth + 1, verbosity, shown);
    }

    private static string Cap(string first, List<string> lines, string perfLine, int maxBytes)
    {
        var sb = new StringBuilder();
        var budget = maxBytes - Utf8Length(first) - 1 - (perfLine.Length > 0 ? Utf8Length(perfLine) + 1 : 0);
        sb.Append(first).Append('\n');
        var used = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var len = Utf8Length(lines[i]) + 1;
            var remaining = lines.Count - i;
            // Keep room for the "... N more lines" marker unless this is the last line.
            var reserve = remaining > 1 ? 32 : 0;
            if (used + len + reserve > budget)
            {
                sb.Append("... ").Append(remaining).Append(remaining == 1 ? " more line\n" : " more lines\n");
                break;
            }
            sb.Append(lines[i]).Append('\n');
            used += len;
        }
        if (perfLine.Length > 0) sb.Append(perfLine).Append('\n');
        return sb.ToString().TrimEnd('\n');
    }

    private static int Utf8Length(string s) => Encoding.UTF8.GetByteCount(s);

    /// <summary>Human text must never carry a perfdata separator.</summary>
    public static string Sanitise(string text) => text.Replace('|', '/');

    private static string OneLine(string text)
    {
        if (text.IndexOfAny(['\n', '\r']) < 0) return text;
        return string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }
}
