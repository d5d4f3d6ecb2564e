using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Rename;
using Microsoft.CodeAnalysis.Text;

// Usage: StyleRenamer BUILD_LOG PROJECT_OR_SOLUTION...
// Reads the IDE1006 warnings of a build log ("file(line,col): warning IDE1006: Naming rule violation: ..."),
// finds the symbol declared at each position and renames it (and every reference) as the message asks. A member is
// found again by its documentation id after the earlier renames; a local or parameter only in a file not yet changed
// in this pass (positions move when a file changes): the caller runs passes until the build reports none.

return await StyleRenamer.RunAsync(args[0], args[1..]);

internal static partial class StyleRenamer
{
    public static async Task<int> RunAsync(string buildLog, string[] projects)
    {
        var violations = Violations(buildLog);
        if (violations.Count == 0) return 0;
        using var workspace = MSBuildWorkspace.Create();
        var solution = workspace.CurrentSolution;
        foreach (var path in projects)
        {
            if (path.EndsWith(".sln", StringComparison.Ordinal) || path.EndsWith(".slnx", StringComparison.Ordinal))
                await workspace.OpenSolutionAsync(path);
            else if (!solution.Projects.Any(p => string.Equals(p.FilePath, Path.GetFullPath(path), StringComparison.Ordinal)))
                await workspace.OpenProjectAsync(path);
            solution = workspace.CurrentSolution;
        }

        // Resolve every target on the solution as built, before anything changes.
        var members = new List<(string Id, string Name, string NewName)>();
        var locals = new List<(string File, int Position, string Name, string NewName)>();
        foreach (var v in violations.DistinctBy(v => (v.File, v.Line, v.Column)))
        {
            var document = solution.GetDocumentIdsWithFilePath(v.File).Select(solution.GetDocument).FirstOrDefault();
            if (document is null) { Console.WriteLine($"skipped (not in the workspace): {v.File}({v.Line},{v.Column})"); continue; }
            var text = await document.GetTextAsync();
            var position = text.Lines[v.Line - 1].Start + v.Column - 1;
            var symbol = await SymbolFinder.FindSymbolAtPositionAsync(document, position);
            if (symbol is null) { Console.WriteLine($"skipped (no symbol): {v.File}({v.Line},{v.Column})"); continue; }
            var newName = NewName(symbol.Name, v.Message);
            if (newName is null || newName == symbol.Name) { Console.WriteLine($"skipped ({v.Message}): {symbol.Name}"); continue; }
            if (symbol is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ILabelSymbol || symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction })
                locals.Add((v.File, position, symbol.Name, newName));
            else if (DocumentationCommentId.CreateDeclarationId(symbol) is { } id)
                members.Add((id, symbol.Name, newName));
        }

        var changedFiles = new HashSet<string>(StringComparer.Ordinal);
        var renamed = 0;
        foreach (var (id, name, newName) in members.Distinct())
        {
            var symbol = await FindAsync(solution, id);
            if (symbol is null) { Console.WriteLine($"skipped (not found again): {id}"); continue; }
            solution = await RenameAsync(solution, symbol, newName, changedFiles);
            Console.WriteLine($"{name} -> {newName}");
            renamed++;
        }
        // Last first within a file: a rename never moves the positions before it.
        var localsChangedFiles = new HashSet<string>(changedFiles, StringComparer.Ordinal);
        foreach (var (file, position, name, newName) in locals.OrderByDescending(l => l.Position))
        {
            if (localsChangedFiles.Contains(file)) continue;
            var document = solution.GetDocumentIdsWithFilePath(file).Select(solution.GetDocument).First()!;
            var symbol = await SymbolFinder.FindSymbolAtPositionAsync(document, position);
            if (symbol is null || symbol.Name != name) continue;
            solution = await RenameAsync(solution, symbol, newName, changedFiles);
            Console.WriteLine($"{name} -> {newName}");
            renamed++;
        }
        if (!workspace.TryApplyChanges(solution)) { Console.WriteLine("the workspace refused the changes"); return 2; }
        Console.WriteLine($"{renamed} renamed");
        return 0;
    }

    private static async Task<Solution> RenameAsync(Solution solution, ISymbol symbol, string newName, HashSet<string> changedFiles)
    {
        var renamed = await Renamer.RenameSymbolAsync(solution, symbol, new SymbolRenameOptions(), newName);
        foreach (var change in renamed.GetChanges(solution).GetProjectChanges())
            foreach (var id in change.GetChangedDocuments())
                if (renamed.GetDocument(id)?.FilePath is { } path) changedFiles.Add(path);
        return renamed;
    }

    private static async Task<ISymbol?> FindAsync(Solution solution, string id)
    {
        foreach (var project in solution.Projects)
        {
            if (await project.GetCompilationAsync() is not { } compilation) continue;
            if (DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation) is { } symbol
                && symbol.Locations.Any(l => l.IsInSource))
                return symbol;
        }
        return null;
    }

    // The messages of Roslyn's naming analyzer, one fix each.
    internal static string? NewName(string name, string message)
    {
        if (PrefixMissing().Match(message) is { Success: true } missing)
        {
            var prefix = missing.Groups[1].Value;
            var rest = name.TrimStart('_');
            return prefix == "_" ? prefix + Camel(rest) : prefix + Pascal(rest);
        }
        if (PrefixNotExpected().Match(message) is { Success: true } unexpected)
            return name.StartsWith(unexpected.Groups[1].Value, StringComparison.Ordinal) && name.Length > unexpected.Groups[1].Value.Length
                ? name[unexpected.Groups[1].Value.Length..] : null;
        if (message.Contains("must begin with upper case characters", StringComparison.Ordinal)
            || message.Contains("must begin with an upper case character", StringComparison.Ordinal))
            return Pascal(name);
        if (message.Contains("must begin with lower case characters", StringComparison.Ordinal)
            || message.Contains("must begin with a lower case character", StringComparison.Ordinal))
            return Camel(name);
        return null;
    }

    private static string Camel(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];

    private static string Pascal(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static List<(string File, int Line, int Column, string Message)> Violations(string buildLog)
    {
        var found = new List<(string, int, int, string)>();
        foreach (var line in File.ReadLines(buildLog))
            if (Diagnostic().Match(line) is { Success: true } m)
                found.Add((m.Groups[1].Value, int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), m.Groups[4].Value));
        return found;
    }

    [GeneratedRegex(@"^\s*(/[^(]+)\((\d+),(\d+)\): (?:warning|error) IDE1006: Naming rule violation: (.*?) \(https?://")]
    private static partial Regex Diagnostic();

    [GeneratedRegex(@"^Missing prefix: '([^']+)'")]
    private static partial Regex PrefixMissing();

    [GeneratedRegex(@"^Prefix '([^']+)' is not expected")]
    private static partial Regex PrefixNotExpected();
}
