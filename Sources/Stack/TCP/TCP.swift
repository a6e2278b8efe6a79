// TCP: a pure state machine per RFC 9293 (with RFC 5681, 6298, 6582, 6675, 2018, 7323, 5961, 1122).
//
// `TCPConnection` never reads a clock, never draws random numbers and does no I/O: the host passes
// the time in and carries out the `TCPAction`s it returns (send a segment, arm a timer, tell the app).
//
// Deliberate simplifications (a learner should know where the textbook ends):
// - Urgent data is not processed: URG and the urgent pointer are neither sent nor interpreted.
// - SACK: when negotiated, the data receiver reports out-of-order blocks on its pure ACKs (RFC 2018
//   §4; not on data segments, no D-SACK of RFC 2883). The data sender keeps them on a scoreboard and,
//   under `sackRecovery` (the linux profile), recovers by RFC 6675; otherwise (the textbook profile,
//   or SACK not negotiated) by NewReno (RFC 6582). Within RFC 6675: duplicate ACKs are counted as
//   RFC 5681 §2 defines them (not only those with new SACK information), a scoreboard range counts
//   as ⌈length/SMSS⌉ segments for IsLost, IsLost(HighACK + 1) starts recovery after any ACK (not only
//   a duplicate), no limited transmit (§5 step 3.3, a MAY), and after an RTO the sender goes back N
//   without skipping what is SACKed later. No RACK (RFC 8985) and no tail loss probe.
// - Data carried on a SYN or SYN,ACK is ignored (not acknowledged), so the peer sends it again.
// - A FIN that arrives out of order is dropped (its data is kept); the peer retransmits it.
// - Timestamps (RFC 7323) are used for RTT measurement only; there is no PAWS check.
// - Zero-window probes carry no data (SEG.SEQ = SND.UNA − 1, as Linux sends them) rather than one
//   octet of new data (RFC 9293 §3.8.6.1); either elicits an ACK carrying the current window.
// - Security/compartment (the RFC's third check) and precedence are not modelled.
// - After an RTO the sender goes back to SND.UNA and resends in slow start (go-back-N, as BSD does); the
//   SACK scoreboard is cleared (RFC 6675 §5.1).
// - The RFC 5961 §5 ACK range check (challenge ACK for too-old ACKs) is not done; such ACKs are ignored.
// - ECN is not negotiated; ECE and CWR are never set.
// - The receive window counts in-order unread bytes only; out-of-order bytes live inside the
//   window already advertised (the linux profile's `TCPLinuxReceiveWindow` charges them too).

import Tracing

// `TCPState`, `TCPTimer`, `TCPRetransmission` and the causes and reasons the machine reports are
// the trace's own vocabulary (module Tracing), so the machine and every consumer share one set of names.
