using System.Globalization;

namespace ContinuityHub.Testing.Cards;

/// <summary>A colour as the host configs write it (<c>#RRGGBB</c> or <c>#AARRGGBB</c>), with the WCAG 2.x arithmetic.</summary>
internal readonly record struct Rgba(double R, double G, double B, double A)
{
    public static Rgba White { get; } = new(255, 255, 255, 1);

    /// <summary><c>#RRGGBB</c>, or <c>#AARRGGBB</c> with alpha first, as <c>Utils.stringToCssColor</c> reads it.</summary>
    public static Rgba Parse(string colour)
    {
        var hex = colour.TrimStart('#');
        int Byte(int at) => int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return hex.Length switch
        {
            6 => new Rgba(Byte(0), Byte(2), Byte(4), 1),
            8 => new Rgba(Byte(2), Byte(4), Byte(6), Byte(0) / 255.0),
            _ => throw new FormatException($"Not a host config colour: '{colour}'."),
        };
    }

    /// <summary>This colour alpha-blended over an opaque <paramref name="under"/> (the result is opaque).</summary>
    public Rgba Over(Rgba under) =>
        new((R * A) + (under.R * (1 - A)), (G * A) + (under.G * (1 - A)), (B * A) + (under.B * (1 - A)), 1);

    /// <summary>WCAG 2.x contrast ratio of two opaque colours, (L1 + 0.05) / (L2 + 0.05).</summary>
    public static double Contrast(Rgba a, Rgba b)
    {
        var (l1, l2) = (a.Luminance, b.Luminance);
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    private double Luminance => (0.2126 * Linear(R)) + (0.7152 * Linear(G)) + (0.0722 * Linear(B));

    private static double Linear(double channel)
    {
        var c = channel / 255;
        return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"#{(int)Math.Round(R):x2}{(int)Math.Round(G):x2}{(int)Math.Round(B):x2}");
}
