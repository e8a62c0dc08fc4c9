using System.Net.Sockets;
using StackExchange.Redis;

namespace Sockit.Cluster;

/// <summary>
/// Where the Redis of a backplane is, written as <c>redis://HOST:PORT[,OPTIONS]</c> (TCP; the port defaults to
/// 6379) or <c>redis+unix:///PATH[,OPTIONS]</c> (a Unix domain socket, Redis's <c>unixsocket</c>). OPTIONS are
/// StackExchange.Redis configuration options, comma-separated: <c>password=…</c>, <c>user=…</c>, <c>ssl=true</c>,
/// <c>connectTimeout=5000</c>… Pure.
/// </summary>
public static class RedisAddress
{
    private const string Tcp = "redis://";
    private const string Unix = "redis+unix://";

    /// <summary>Parses <paramref name="address"/> into StackExchange.Redis's options.</summary>
    /// <exception cref="FormatException">Not one of the two forms, no host or path, or an option StackExchange.Redis refuses; the message names the value.</exception>
    public static ConfigurationOptions Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var unix = address.StartsWith(Unix, StringComparison.OrdinalIgnoreCase);
        if (!unix && !address.StartsWith(Tcp, StringComparison.OrdinalIgnoreCase))
        {
            throw Bad(address, "it does not start with redis:// or redis+unix://");
        }

        var rest = address[(unix ? Unix : Tcp).Length..];
        var comma = rest.IndexOf(',', StringComparison.Ordinal);
        var where = comma < 0 ? rest : rest[..comma];
        var settings = comma < 0 ? "" : rest[(comma + 1)..];
        if (unix ? !where.StartsWith('/') : where.Length == 0 || where.Contains('/', StringComparison.Ordinal))
        {
            throw Bad(address, unix ? "a Unix socket is written redis+unix:///absolute/path" : "a host is written redis://HOST:PORT");
        }

        ConfigurationOptions options;
        try
        {
            options = unix && settings.Length == 0 ? new ConfigurationOptions() : ConfigurationOptions.Parse(unix ? settings : where + (settings.Length > 0 ? "," + settings : ""));
        }
        catch (ArgumentException ex)
        {
            throw Bad(address, ex.Message.Split(" (Parameter", 2)[0]);
        }

        if (unix)
        {
            options.EndPoints.Add(new UnixDomainSocketEndPoint(where));
        }

        if (options.EndPoints.Count != 1)
        {
            throw Bad(address, "a backplane uses one Redis endpoint");
        }

        return options;
    }

    private static FormatException Bad(string address, string why) =>
        new($"--backplane: '{address}' is not a Redis address ({why}): use redis://HOST:PORT[,OPTIONS] or redis+unix:///PATH[,OPTIONS]");
}
