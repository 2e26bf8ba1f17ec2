using System.Globalization;

namespace Thaiyyal.Server.Tests.Traffic;

/// <summary>Reads one sample from a Prometheus text exposition.</summary>
public static class Scrape
{
    /// <summary>The value of the first sample of <paramref name="family"/> whose labels contain every <paramref name="labels"/> part; null when absent.</summary>
    public static double? Value(string exposition, string family, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#')) continue;
            var nameEnd = line.IndexOfAny(['{', ' ']);
            if (nameEnd < 0 || line[..nameEnd] != family) continue;
            if (!labels.All(l => line.Contains(l, StringComparison.Ordinal))) continue;
            var valueText = line[(line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : nameEnd)..].Trim().Split(' ')[0];
            return double.Parse(valueText, CultureInfo.InvariantCulture);
        }
        return null;
    }
}
