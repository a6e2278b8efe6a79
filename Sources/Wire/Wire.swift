// Wire: byte-exact codecs for IPv4 (RFC 791), TCP (RFC 9293, options from RFC 7323 and RFC 2018),
// UDP (RFC 768), ICMP (RFC 792), the Internet checksum (RFC 1071), sequence-number arithmetic,
// and classic libpcap files. Standard library only.
//
// Shape (after smoltcp's `wire`): each protocol is a representation value with a checked
// `parse` over bytes that throws a typed `WireError` (kind, field, byte offset) and never traps,
// and an `emit` that writes lengths and checksums afresh.
//
// Deliberate simplifications:
// - IPv4 options are validated (each length inside the header) but kept as raw octets.
// - Fragments are not reassembled: a fragment's payload is `.other` raw octets.
// - UDP is strict: the length field must equal the datagram's size (Linux would trim).
// - `emit` always computes checksums; a UDP datagram received without one (0) is re-sent with one.
// - ICMP decodes echo, destination unreachable and time exceeded; other types stay raw.
// - Emitting more than 40 octets of options, or more than 65535 octets in a packet, is the
//   caller's error: options are cut at 40 and lengths wrap. Check `optionsLength` first.
// - The pcap reader yields IPv4 only (RAW, ETHERNET, LINUX_SLL, LINUX_SLL2); pcapng is not read.
// - On Linux loopback, captured TCP checksums are offload partial sums and do not verify; see
//   `TCPSegment.hasPartialChecksum`.
