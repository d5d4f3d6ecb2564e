using System.Text;

namespace DuplicityChecks.Plugin;

/// <summary>--help, --version and the short usage text of usage errors, wrapped at 80 columns.</summary>
public static class HelpText
{
    public static string Version(PluginDefinition plugin) => $"{plugin.Name} version {plugin.Version}";

    public static string Usage(PluginDefinition plugin, IReadOnlyList<OptionSpec> all)
    {
        var sb = new StringBuilder();
        sb.Append("Usage: ").Append(plugin.Name);
        var col = 7 + plugin.Name.Length;
        foreach (var o in all.Where(o => o.Long is not ("help" or "version" or "debug-log")))
        {
            var item = o.Short is { } s
                ? (o.IsFlag ? $" [-{s}]" : $" [-{s} {o.ValueName}]")
                : (o.IsFlag ? $" [--{o.Long}]" : $" [--{o.Long} {o.ValueName}]");
            if (col + item.Length > 79)
            {
                sb.Append('\n').Append(new string(' ', 7));
                col = 7;
            }
            sb.Append(item);
            col += item.Length;
        }
        sb.Append("\nTry '").Append(plugin.Name).Append(" --help' for more information.");
        return sb.ToString();
    }

    public static string Full(PluginDefinition plugin, IReadOnlyList<OptionSpec> all)
    {
        var sb = new StringBuilder();
        sb.Append(Version(plugin)).Append("\n\n");
        foreach (var line in Wrap(plugin.Description, 79)) sb.Append(line).Append('\n');
        sb.Append('\n').Append(Usage(plugin, all).Split('\n').TakeWhile(l => !l.StartsWith("Try", StringComparison.Ordinal)).Aggregate((a, b) => a + "\n" + b)).Append("\n\nOptions:\n");
        foreach (var o in all)
        {
            var head = " " + o.Display + (o.IsFlag ? "" : " " + o.ValueName);
            sb.Append(head).Append('\n');
            foreach (var line in Wrap(o.FullHelp, 72)) sb.Append("       ").Append(line).Append('\n');
        }
        if (plugin.Examples.Count > 0)
        {
            sb.Append("\nExamples:\n");
            foreach (var e in plugin.Examples) sb.Append(' ').Append(e).Append('\n');
        }
        sb.Append("\nExit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. Output goes to stdout only.");
        return sb.ToString();
    }

    public static IEnumerable<string> Wrap(string text, int width)
    {
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    yield return line.ToString();
                    line.Clear();
                }
                if (line.Length > 0) line.Append(' ');
                line.Append(word);
            }
            yield return line.ToString();
        }
    }
}
