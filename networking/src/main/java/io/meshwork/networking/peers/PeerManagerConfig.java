package io.meshwork.networking.peers;

import java.time.Duration;
import java.util.Objects;

/**
 * What the {@link PeerManager} aims for and how often it acts.
 *
 * @param targetOutbound outbound connections kept, each to a different address group
 * @param maxInbound inbound connections accepted beyond which the manager's gater refuses more (the
 *     host's own {@code HostConfig} limit applies too, before the handshake)
 * @param anchors how many of the last good outbound peers are remembered and dialed first at start
 * @param feelerInterval how often one address from the new table is tested with a short connection
 * @param rotationInterval how often one outbound peer (not an anchor) is dropped for a fresh one
 * @param tickInterval how often the manager checks its outbound count and timers
 * @param backoffBase the first retry delay after a failed dial
 * @param backoffMax the longest retry delay
 * @param defaultBan how long {@link PeerManager#ban(io.meshwork.networking.crypto.PeerId)} bans
 * @param flushInterval how often the address book, bans and anchors are written to the store
 * @param book the address book's sizes and grouping
 */
public record PeerManagerConfig(
    int targetOutbound,
    int maxInbound,
    int anchors,
    Duration feelerInterval,
    Duration rotationInterval,
    Duration tickInterval,
    Duration backoffBase,
    Duration backoffMax,
    Duration defaultBan,
    Duration flushInterval,
    AddressBookConfig book) {

  public PeerManagerConfig {
    if (targetOutbound < 1 || maxInbound < 0 || anchors < 0 || anchors > targetOutbound) {
      throw new IllegalArgumentException(
          "need targetOutbound >= 1, maxInbound >= 0, 0 <= anchors <= targetOutbound; got "
              + targetOutbound
              + ", "
              + maxInbound
              + ", "
              + anchors);
    }
    for (Duration d :
        new Duration[] {
          feelerInterval,
          rotationInterval,
          tickInterval,
          backoffBase,
          backoffMax,
          defaultBan,
          flushInterval
        }) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("intervals must be positive: " + d);
      }
    }
    Objects.requireNonNull(book);
  }

  /**
   * Bitcoin Core's shape: 8 outbound, 2 anchors, a feeler every 2 minutes; one outbound peer
   * rotated every 10 minutes.
   */
  public static PeerManagerConfig defaults() {
    return new PeerManagerConfig(
        8,
        384,
        2,
        Duration.ofMinutes(2),
        Duration.ofMinutes(10),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofMinutes(10),
        Duration.ofHours(1),
        Duration.ofMinutes(5),
        AddressBookConfig.defaults());
  }

  /** For loopback tests and local testnets: every node its own group, everything fast. */
  public static PeerManagerConfig loopback() {
    return new PeerManagerConfig(
        4,
        64,
        2,
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        Duration.ofHours(1),
        Duration.ofSeconds(1),
        AddressBookConfig.loopback());
  }

  public PeerManagerConfig withTargetOutbound(int target) {
    return new PeerManagerConfig(
        target,
        maxInbound,
        Math.min(anchors, target),
        feelerInterval,
        rotationInterval,
        tickInterval,
        backoffBase,
        backoffMax,
        defaultBan,
        flushInterval,
        book);
  }

  public PeerManagerConfig withIntervals(Duration feeler, Duration rotation) {
    return new PeerManagerConfig(
        targetOutbound,
        maxInbound,
        anchors,
        feeler,
        rotation,
        tickInterval,
        backoffBase,
        backoffMax,
        defaultBan,
        flushInterval,
        book);
  }

  /** The same, with another address book (e.g. {@link AddressBookConfig#loopback()}). */
  public PeerManagerConfig withBook(AddressBookConfig other) {
    return new PeerManagerConfig(
        targetOutbound,
        maxInbound,
        anchors,
        feelerInterval,
        rotationInterval,
        tickInterval,
        backoffBase,
        backoffMax,
        defaultBan,
        flushInterval,
        Objects.requireNonNull(other));
  }
}
