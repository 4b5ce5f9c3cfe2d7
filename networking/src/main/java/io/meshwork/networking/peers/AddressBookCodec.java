package io.meshwork.networking.peers;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.core.DiscoverySource;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.peers.pb.PeersProto;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Encodes {@link AddressBook} entries as {@code peers.proto} messages under {@link
 * PeerDataStore#ADDRESS_PREFIX} + peer id. Only this node reads them back, yet a value can still be
 * corrupt (disk, older version): decoding fails with {@link CorruptEntryException}, never worse.
 */
final class AddressBookCodec {
  /** A stored entry that cannot be read back; the book skips it. */
  static final class CorruptEntryException extends Exception {
    CorruptEntryException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  private AddressBookCodec() {}

  static byte[] key(PeerId peer) {
    return PeerDataStore.key(PeerDataStore.ADDRESS_PREFIX, peer.toBytes());
  }

  static byte[] encode(AddressInfo info) {
    PeersProto.AddressBookEntry.Builder builder =
        PeersProto.AddressBookEntry.newBuilder()
            .setTried(info.tried)
            .setSource(toProto(info.source))
            .setLastSeenMillis(info.lastSeen.toEpochMilli())
            .setFailures(info.failures);
    for (Multiaddr address : info.addresses) {
      builder.addAddresses(ByteString.copyFrom(address.toBytes()));
    }
    info.sourceAddress.ifPresent(a -> builder.setSourceAddress(ByteString.copyFrom(a.toBytes())));
    info.lastSuccess.ifPresent(t -> builder.setLastSuccessMillis(t.toEpochMilli()));
    info.lastAttempt.ifPresent(t -> builder.setLastAttemptMillis(t.toEpochMilli()));
    return builder.build().toByteArray();
  }

  /**
   * The entry stored under {@code key}, its group and source group recomputed with {@code config}'s
   * grouping (so a changed grouping re-buckets it on load), addresses capped at the configured
   * maximum.
   */
  static AddressInfo decode(byte[] key, byte[] value, AddressBookConfig config)
      throws CorruptEntryException {
    try {
      PeerId peer =
          PeerId.fromBytes(
              Arrays.copyOfRange(key, PeerDataStore.ADDRESS_PREFIX.length, key.length));
      PeersProto.AddressBookEntry proto = PeersProto.AddressBookEntry.parseFrom(value);
      List<Multiaddr> addresses = new ArrayList<>();
      for (ByteString bytes : proto.getAddressesList()) {
        if (addresses.size() < config.maxAddressesPerPeer()) {
          addresses.add(Multiaddr.fromBytes(bytes.toByteArray()));
        }
      }
      if (addresses.isEmpty()) {
        throw new CorruptEntryException("no addresses", null);
      }
      Optional<Multiaddr> sourceAddress =
          proto.hasSourceAddress()
              ? Optional.of(Multiaddr.fromBytes(proto.getSourceAddress().toByteArray()))
              : Optional.empty();
      AddressGroup group = config.grouping().groupOf(addresses.get(0));
      AddressInfo info =
          new AddressInfo(
              peer,
              addresses,
              group,
              sourceAddress,
              sourceAddress.map(config.grouping()::groupOf).orElse(group),
              fromProto(proto.getSource()),
              Instant.ofEpochMilli(proto.getLastSeenMillis()));
      info.tried = proto.getTried();
      info.failures = Math.max(0, proto.getFailures());
      if (proto.hasLastSuccessMillis()) {
        info.lastSuccess = Optional.of(Instant.ofEpochMilli(proto.getLastSuccessMillis()));
      }
      if (proto.hasLastAttemptMillis()) {
        info.lastAttempt = Optional.of(Instant.ofEpochMilli(proto.getLastAttemptMillis()));
      }
      return info;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // PeerIdFormatException, MultiaddrException and friends are all unchecked.
      throw new CorruptEntryException(e.getMessage(), e);
    }
  }

  private static PeersProto.DiscoverySource toProto(DiscoverySource source) {
    return switch (source) {
      case BOOTSTRAP -> PeersProto.DiscoverySource.BOOTSTRAP;
      case IDENTIFY -> PeersProto.DiscoverySource.IDENTIFY;
      case DHT -> PeersProto.DiscoverySource.DHT;
      case GOSSIP_PX -> PeersProto.DiscoverySource.GOSSIP_PX;
      case PEX -> PeersProto.DiscoverySource.PEX;
    };
  }

  private static DiscoverySource fromProto(PeersProto.DiscoverySource source)
      throws CorruptEntryException {
    return switch (source) {
      case BOOTSTRAP -> DiscoverySource.BOOTSTRAP;
      case IDENTIFY -> DiscoverySource.IDENTIFY;
      case DHT -> DiscoverySource.DHT;
      case GOSSIP_PX -> DiscoverySource.GOSSIP_PX;
      case PEX -> DiscoverySource.PEX;
      case UNKNOWN -> throw new CorruptEntryException("unknown discovery source", null);
    };
  }
}
