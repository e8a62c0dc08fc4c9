namespace Sockit.Capture;

/// <summary>One layer of a captured frame: where its bytes are and what its header says.</summary>
/// <param name="Layer"><c>link</c>, <c>network</c>, <c>transport</c> or <c>application</c> (the TCP/IP model's four layers).</param>
/// <param name="Protocol">The protocol at that layer: <c>Ethernet II</c>, <c>IPv4</c>, <c>IPv6</c>, <c>TCP</c>, <c>UDP</c>, or <c>data</c>.</param>
/// <param name="Offset">Where the layer's bytes start in the frame.</param>
/// <param name="Length">How many bytes it takes: its header (the application: the payload).</param>
/// <param name="Fields">The header's fields (the application: its bytes as text).</param>
public sealed record LayerSection(string Layer, string Protocol, int Offset, int Length, IReadOnlyList<LayerField> Fields);
