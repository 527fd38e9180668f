namespace CodeAssist.Features.Completion.Postprocessing;

/// <summary>
/// The completion in the document's own style: the lines after the first indented with the document's unit (tabs where it
/// uses tabs, its number of spaces where it uses spaces), its line break, and no trailing whitespace where the completion
/// ends a line.
/// </summary>
internal static class IndentationMatch
{
    public static string Apply(string text, InsertionPoint point)
    {
        var lines = text.Split('\n');
        var spacesPerLevel = SpacesPerLevel(lines);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var body = line.TrimStart(' ', '\t');
            var leading = line[..(line.Length - body.Length)];
            if (point.IndentUnit == "\t" && leading.Contains(' '))
            {
                var spaces = leading.Sum(c => c == '\t' ? spacesPerLevel : 1);
                leading = new string('\t', spaces / spacesPerLevel) + new string(' ', spaces % spacesPerLevel);
            }
            else if (point.IndentUnit != "\t" && leading.Contains('\t'))
            {
                leading = leading.Replace("\t", point.IndentUnit, StringComparison.Ordinal);
            }
            lines[i] = leading + body;
        }
        var endsLine = lines.Length > 1 || point.LineSuffix.Trim().Length == 0;
        if (endsLine)
        {
            for (var i = 0; i < lines.Length; i++)
            {
                lines[i] = lines[i].TrimEnd(' ', '\t');
            }
            var count = lines.Length;
            while (count > 1 && lines[count - 1].Length == 0)
            {
                count--;
            }
            lines = lines[..count];
        }
        return string.Join(point.LineBreak, lines);
    }

    /// <summary>
    /// The completion's own indentation step in spaces: the greatest common divisor of its lines' space indentations
    /// (lines sit at absolute depths, 8 and 12 spaces mean steps of 4), taken as 4 when one depth alone gives a multiple of it.
    /// </summary>
    private static int SpacesPerLevel(string[] lines)
    {
        var step = 0;
        foreach (var line in lines.Skip(1))
        {
            var spaces = line.Length - line.TrimStart(' ').Length;
            if (spaces > 0 && line.Trim().Length > 0)
            {
                step = (int)System.Numerics.BigInteger.GreatestCommonDivisor(step, spaces);
            }
        }
        return step == 0 || step > 4 && step % 4 == 0 ? 4 : step;
    }
}
