// TCP: a pure state machine per RFC 9293 (with RFC 5681, 6298, 6582, 7323, 5961, 1122).
//
// `TCPConnection` never reads a clock, never draws random numbers and does no I/O: the host passes
// the time in and carries out the `TCPAction`s it returns (send a segment, arm a timer, tell the app).
//
// Deliberate simplifications (a learner should know where the textbook ends):
// - Urgent data is not processed: URG and the urgent pointer are neither sent nor interpreted.
// - SACK: when negotiated, the data receiver reports out-of-order blocks on its pure ACKs (RFC 2018
//   §4; not on data segments, no D-SACK of RFC 2883); the data sender ignores received blocks: loss
//   recovery is NewReno (RFC 6582), not RFC 6675.
// - Data carried on a SYN or SYN,ACK is ignored (not acknowledged), so the peer sends it again.
// - A FIN that arrives out of order is dropped (its data is kept); the peer retransmits it.
// - Timestamps (RFC 7323) are used for RTT measurement only; there is no PAWS check.
// - Zero-window probes carry no data (SEG.SEQ = SND.UNA − 1, as Linux sends them) rather than one
//   octet of new data (RFC 9293 §3.8.6.1); either elicits an ACK carrying the current window.
// - Security/compartment (the RFC's third check) and precedence are not modelled.
// - After an RTO the sender goes back to SND.UNA and resends in slow start (go-back-N, as BSD does).
// - The RFC 5961 §5 ACK range check (challenge ACK for too-old ACKs) is not done; such ACKs are ignored.
// - ECN is not negotiated; ECE and CWR are never set.
// - The receive window counts in-order unread bytes only; out-of-order bytes live inside the
//   window already advertised (the linux profile's `TCPLinuxReceiveWindow` charges them too).

import Tracing

// `TCPState`, `TCPTimer`, `TCPRetransmission` and the causes and reasons the machine reports are
// the trace's own vocabulary (module Tracing), so the machine and every consumer share one set of names.
