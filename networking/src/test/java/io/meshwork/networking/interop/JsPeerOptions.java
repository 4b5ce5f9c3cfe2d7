package io.meshwork.networking.interop;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to start a {@link JsPeer}.
 *
 * @param listen multiaddrs the peer listens on; empty for a peer that only dials
 * @param keyType the type of the peer's freshly generated identity key
 * @param earlyMuxerNegotiation whether the peer offers and accepts stream muxers inside the Noise
 *     handshake (the {@code stream_muxers} extension, libp2p/specs
 *     connections/inlined-muxer-negotiation.md); when off it sends an empty list, ignores the
 *     remote's and negotiates the muxer with multistream-select
 * @param debug a {@code DEBUG} pattern for js-libp2p's own logs (e.g. {@code "libp2p:*"}), written
 *     to the peer's log file
 * @param readyTimeout how long {@link JsPeer#start} waits for the peer's ready line
 * @param dht whether the peer runs @libp2p/kad-dht ({@code /ipfs/kad/1.0.0}) as a LAN server:
 *     server mode forced, loopback and private addresses kept (interop/lib/dht.mjs)
 */
public record JsPeerOptions(
    List<String> listen,
    KeyType keyType,
    boolean earlyMuxerNegotiation,
    Optional<String> debug,
    Duration readyTimeout,
    boolean dht) {

  /** The identity key types the js peer can generate. */
  public enum KeyType {
    ED25519("ed25519"),
    SECP256K1("secp256k1");

    private final String argument;

    KeyType(String argument) {
      this.argument = argument;
    }

    /** The value of peer.mjs's {@code --key-type}. */
    String argument() {
      return argument;
    }
  }

  public JsPeerOptions {
    listen = List.copyOf(listen);
  }

  /** A peer listening on an ephemeral TCP port on 127.0.0.1, Ed25519 key, early muxer on. */
  public static JsPeerOptions listening() {
    return new JsPeerOptions(
        List.of("/ip4/127.0.0.1/tcp/0"),
        KeyType.ED25519,
        true,
        Optional.empty(),
        Duration.ofSeconds(30),
        false);
  }

  /** A peer that does not listen and only dials. */
  public static JsPeerOptions dialOnly() {
    return listening().withListen(List.of());
  }

  /** A listening peer that also serves the DHT, as {@link #listening()} otherwise. */
  public static JsPeerOptions dhtServer() {
    return listening().withDht(true);
  }

  public JsPeerOptions withListen(List<String> multiaddrs) {
    return new JsPeerOptions(multiaddrs, keyType, earlyMuxerNegotiation, debug, readyTimeout, dht);
  }

  public JsPeerOptions withKeyType(KeyType type) {
    return new JsPeerOptions(listen, type, earlyMuxerNegotiation, debug, readyTimeout, dht);
  }

  public JsPeerOptions withEarlyMuxerNegotiation(boolean enabled) {
    return new JsPeerOptions(listen, keyType, enabled, debug, readyTimeout, dht);
  }

  public JsPeerOptions withDebug(String pattern) {
    return new JsPeerOptions(
        listen, keyType, earlyMuxerNegotiation, Optional.of(pattern), readyTimeout, dht);
  }

  public JsPeerOptions withReadyTimeout(Duration timeout) {
    return new JsPeerOptions(listen, keyType, earlyMuxerNegotiation, debug, timeout, dht);
  }

  public JsPeerOptions withDht(boolean enabled) {
    return new JsPeerOptions(listen, keyType, earlyMuxerNegotiation, debug, readyTimeout, enabled);
  }
}
