namespace Sinkron.Bench.Macro;

/// <summary>
/// Picks key indexes 0..N-1 with a zipf-like skew: key i has weight 1/(i+1)^s. s = 0 is uniform;
/// s = 0.99 (YCSB's default) sends about 29 % of all operations of 10,000 keys to the
/// 10 hottest. The cumulative weights are computed once; a pick is a binary search, no allocation.
/// </summary>
internal sealed class KeyChooser
{
    private readonly double[] _cumulative;

    public KeyChooser(int keys, double skew)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keys, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(skew);
        Skew = skew;
        _cumulative = new double[keys];
        var sum = 0.0;
        for (var i = 0; i < keys; i++)
        {
            sum += skew == 0 ? 1.0 : 1.0 / Math.Pow(i + 1, skew);
            _cumulative[i] = sum;
        }

        for (var i = 0; i < keys; i++)
        {
            _cumulative[i] /= sum;
        }
    }

    public int Count => _cumulative.Length;

    public double Skew { get; }

    /// <summary>The key index for a uniform draw <paramref name="uniform"/> in [0, 1).</summary>
    public int Pick(double uniform)
    {
        var index = Array.BinarySearch(_cumulative, uniform);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, _cumulative.Length - 1);
    }

    public int Next() => Pick(Random.Shared.NextDouble());

    /// <summary>The share of all picks that land on the <paramref name="hottest"/> most popular keys.</summary>
    public double ShareOfHottest(int hottest) => hottest <= 0 ? 0 : _cumulative[Math.Min(hottest, _cumulative.Length) - 1];
}
