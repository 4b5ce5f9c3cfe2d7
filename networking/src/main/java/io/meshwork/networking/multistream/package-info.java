/**
 * multistream-select 1.0 ({@code /multistream/1.0.0}): agreeing on the protocol spoken over a raw
 * connection, a secured channel or a multiplexed stream.
 *
 * <p>Specifications: libp2p/specs {@code connections/README.md} (section "multistream-select") and
 * multiformats/multistream-select {@code README.md}. Wire facts shared with go-, rust- and
 * js-libp2p are collected in {@code docs/wire-notes.md}.
 *
 * <p>Layout, sans-IO first:
 *
 * <ul>
 *   <li>{@link io.meshwork.networking.multistream.MultistreamMessage}: one message, {@code
 *       uvarint(len) ‖ UTF-8 text ‖ '\n'} (len counts the newline, at most 1024 bytes as in go).
 *   <li>{@link io.meshwork.networking.multistream.DialerNegotiation} and {@link
 *       io.meshwork.networking.multistream.ListenerNegotiation}: pure state machines that take
 *       decoded messages and return a {@link io.meshwork.networking.multistream.NegotiationStep}
 *       (what to send, and whether a protocol was selected or the negotiation failed).
 *   <li>{@link io.meshwork.networking.multistream.MultistreamDialer} and {@link
 *       io.meshwork.networking.multistream.MultistreamListener}: thin Netty handlers around them
 *       that remove themselves once a protocol is agreed and pass surplus bytes on, including lazy
 *       (0-RTT) negotiation where header, proposal and application data share one segment.
 * </ul>
 *
 * <p>{@code ls} is answered with {@code na} (as go-multistream does); we never send {@code ls}.
 */
package io.meshwork.networking.multistream;
