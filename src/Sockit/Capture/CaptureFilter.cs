using System.Buffers.Binary;

namespace Sockit.Capture;

/// <summary>
/// Builds the classic BPF program (the Linux socket filter, <c>SO_ATTACH_FILTER</c>; the code tcpdump's
/// <c>-dd</c> prints) that a <see cref="PacketCapture"/> runs in the kernel: keep TCP (and optionally UDP) over
/// IPv4 or IPv6 in an Ethernet frame, optionally only to or from some ports; drop the rest before it is queued.
/// Frames the filter drops never reach the socket, so they neither cost a copy nor count in its statistics.
/// Pure: the program's bytes are a <c>struct sock_filter</c> array (8 bytes per instruction, host byte order).
/// </summary>
public static class CaptureFilter
{
    /// <summary>The most ports one filter checks (each costs two instructions per direction).</summary>
    public const int MaxPorts = 16;

    private const ushort LdH = 0x28, LdB = 0x30, LdXB = 0xb1, LdHInd = 0x48, JEq = 0x15, JSet = 0x45, Ja = 0x05, Ret = 0x06;
    private const int Accept = -1, Drop = -2;

    /// <summary>
    /// The program: TCP segments (and UDP datagrams when <paramref name="udp"/> is true) whose source or
    /// destination port is in <paramref name="ports"/> (any port when null or empty); IPv4 fragments after the
    /// first are dropped (they carry no ports). Returns the instructions as <c>struct sock_filter</c> bytes.
    /// </summary>
    public static byte[] Build(IReadOnlyCollection<int>? ports, bool udp)
    {
        var portList = ports?.ToArray() ?? [];
        ArgumentOutOfRangeException.ThrowIfGreaterThan(portList.Length, MaxPorts, nameof(ports));

        // Written with symbolic jump targets ("v4", "v6ports", "v4frag", Accept, Drop), resolved to offsets below.
        var code = new List<(ushort Code, uint K, object? True, object? False, string? Name)>();
        void Op(ushort c, uint k = 0, object? t = null, object? f = null, string? name = null) => code.Add((c, k, t, f, name));

        Op(LdH, 12);                                    // EtherType
        Op(JEq, PacketDecoder.EtherTypeIPv6, null, "v4");
        Op(LdB, 14 + 6);                                // IPv6 next header
        Op(JEq, PacketDecoder.ProtocolTcp, "v6ports", udp ? null : Drop);
        if (udp)
        {
            Op(JEq, PacketDecoder.ProtocolUdp, "v6ports", Drop);
        }

        PortChecks(Op, "v6ports", 14 + 40, 14 + 42, portList);
        Op(JEq, PacketDecoder.EtherTypeIPv4, null, Drop, "v4");
        Op(LdB, 14 + 9);                                // IPv4 protocol
        Op(JEq, PacketDecoder.ProtocolTcp, "v4frag", udp ? null : Drop);
        if (udp)
        {
            Op(JEq, PacketDecoder.ProtocolUdp, "v4frag", Drop);
        }

        Op(LdH, 14 + 6, null, null, "v4frag");          // flags and fragment offset
        Op(JSet, 0x1FFF, Drop, null);
        Op(LdXB, 14);                                   // X = IPv4 header length (4 * IHL)
        PortChecks(Op, null, 14, 16, portList, indexed: true);
        Op(Ret, 262_144, null, null, "accept");
        Op(Ret, 0, null, null, "drop");

        var at = new Dictionary<string, int>();
        for (var i = 0; i < code.Count; i++)
        {
            if (code[i].Name is { } name)
            {
                at[name] = i;
            }
        }

        at[Accept.ToString(System.Globalization.CultureInfo.InvariantCulture)] = at["accept"];
        at[Drop.ToString(System.Globalization.CultureInfo.InvariantCulture)] = at["drop"];
        var bytes = new byte[code.Count * 8];
        for (var i = 0; i < code.Count; i++)
        {
            var (c, k, t, f, _) = code[i];
            var span = bytes.AsSpan(i * 8);
            BinaryPrimitives.WriteUInt16LittleEndian(span, c);
            if (c == Ja)
            {
                k = (uint)(Resolve(t!) - i - 1);
            }
            else
            {
                span[2] = (byte)(t is null ? 0 : Resolve(t) - i - 1);
                span[3] = (byte)(f is null ? 0 : Resolve(f) - i - 1);
            }

            BitConverter.TryWriteBytes(span[4..], k); // host order, as struct sock_filter
        }

        return bytes;

        int Resolve(object target) => at[target.ToString()!];
    }

    private static void PortChecks(Action<ushort, uint, object?, object?, string?> op, string? name, uint source, uint destination, int[] ports, bool indexed = false)
    {
        var load = indexed ? LdHInd : LdH;
        if (ports.Length == 0)
        {
            op(Ja, 0, Accept, null, name);
            return;
        }

        op(load, source, null, null, name);
        foreach (var port in ports)
        {
            op(JEq, (uint)port, Accept, null, null);
        }

        op(load, destination, null, null, null);
        foreach (var port in ports)
        {
            op(JEq, (uint)port, Accept, null, null);
        }

        op(Ja, 0, Drop, null, null);
    }
}
