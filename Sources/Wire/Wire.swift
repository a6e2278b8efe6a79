// Wire: byte-exact codecs for IPv4 (RFC 791), TCP (RFC 9293, options from RFC 7323 and RFC 2018),
// UDP (RFC 768), ICMP (RFC 792), the Internet checksum (RFC 1071), sequence-number arithmetic,
// classic libpcap files and pcapng files (draft-ietf-opsawg-pcapng). Standard library only.
// `CaptureReader` reads either capture format, told apart by its magic number.
//
// Frames are byte arrays, the one buffer type: codecs emit into them (`IPv4Packet.emit(into:)`,
// `IPv4Packet.emitTCP`) and parse from them, a TCP segment's payload (`Payload`) being a slice
// of its frame, never copied out; emitting copies a payload once, summing its checksum as it goes.
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
// - The pcap and pcapng readers yield IPv4 only (RAW, ETHERNET, LINUX_SLL, LINUX_SLL2); other
//   packets are skipped and counted. The writers produce RAW, ETHERNET and LINUX_SLL.
// - pcapng: one section per written file, little-endian, nanosecond timestamps. The reader takes
//   EPB and SPB packets and skips every other block (NRB, ISB, DSB, custom, the obsolete Packet
//   Block); of the options it keeps comments, `epb_flags` direction, `if_name`, `if_tsresol` and
//   `if_tsoffset`. A Simple Packet Block has no timestamp: its packet reads as time 0. Captured
//   lengths are not checked against the snap length (only against the block and 256 KiB).
// - On Linux loopback, captured TCP checksums are offload partial sums and do not verify; see
//   `TCPSegment.hasPartialChecksum`.
