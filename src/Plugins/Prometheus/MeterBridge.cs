using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Prometheus;

namespace Joold.Plugins.Prometheus;

/// <summary>
/// Feeds the observable instruments of one daemon's <see cref="Meter"/> (all that JooldMeter has: they read the
/// counters when collected) and of the plugin meters scoped to it (<see cref="MeterOptions.Scope"/>, such as
/// <c>Joold.Tls</c>) into a prometheus-net registry at every scrape: observable counters become Prometheus
/// counters, observable gauges and up-down counters gauges, measurement tags labels. Names follow the
/// OpenTelemetry-to-Prometheus rules: dots become underscores, the unit becomes a suffix (<c>By</c> is
/// <c>_bytes</c>, annotations such as <c>{packet}</c> add nothing) and counters end in <c>_total</c>.
/// </summary>
/// <remarks>
/// prometheus-net's own MeterAdapter exposes every .NET counter as a Prometheus gauge and names it without unit or
/// <c>_total</c>; this keeps the library for the registry and the exposition format and gets the types right.
/// </remarks>
internal sealed class MeterBridge : IDisposable
{
    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly MetricFactory _factory;
    private readonly Dictionary<Instrument, Collector> _metrics = [];
    private readonly Lock _lock = new();
    private int _instruments;
    private bool _disposed;

    public MeterBridge(Meter meter, CollectorRegistry registry)
    {
        _meter = meter ?? throw new ArgumentNullException(nameof(meter));
        ArgumentNullException.ThrowIfNull(registry);
        _factory = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // The same meter object, not only the same name: two daemons in one process each export their own.
            // A plugin's meter (Joold.Tls) is the daemon's when its scope is the daemon's meter.
            if (BelongsToDaemon(instrument.Meter) && instrument.IsObservable)
            {
                if (ReferenceEquals(instrument.Meter, _meter))
                {
                    Interlocked.Increment(ref _instruments);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
        registry.AddBeforeCollectCallback(Collect);
    }

    /// <summary>Instruments of the daemon's own meter this bridge sees; 0 means the meter is not visible from here.</summary>
    public int Instruments => Volatile.Read(ref _instruments);

    /// <summary>The Prometheus name of an instrument.</summary>
    public static string PrometheusName(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        string name = Sanitize(instrument.Name);
        string unit = UnitSuffix(instrument.Unit);
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _listener.Dispose();
    }

    private void Collect()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _listener.RecordObservableInstruments();
            }
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labelValues = new string[tags.Length];
        for (int i = 0; i < tags.Length; i++)
        {
            labelValues[i] = Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "";
        }

        // Called from Collect, under the lock.
        if (!_metrics.TryGetValue(instrument, out var metric))
        {
            var labelNames = new string[tags.Length];
            for (int i = 0; i < tags.Length; i++)
            {
                labelNames[i] = Sanitize(tags[i].Key);
            }

            string help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
            metric = IsCounter(instrument)
                ? _factory.CreateCounter(PrometheusName(instrument), help, labelNames)
                : _factory.CreateGauge(PrometheusName(instrument), help, labelNames);
            _metrics[instrument] = metric;
        }

        switch (metric)
        {
            case Counter counter:
                counter.WithLabels(labelValues).IncTo(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(labelValues).Set(value);
                break;
        }
    }

    private bool BelongsToDaemon(Meter meter) => ReferenceEquals(meter, _meter) || ReferenceEquals(meter.Scope, _meter);

    private static bool IsCounter(Instrument instrument) =>
        instrument is ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>;

    /// <summary>UCUM units to Prometheus base-unit suffixes; annotations in braces name no unit.</summary>
    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => "",
        ['{', .., '}'] => "",
        "By" => "bytes",
        "s" => "seconds",
        "ms" => "milliseconds",
        _ => Sanitize(unit),
    };

    private static string Sanitize(string text)
    {
        var name = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, '_');
        }

        return name.ToString();
    }
}
