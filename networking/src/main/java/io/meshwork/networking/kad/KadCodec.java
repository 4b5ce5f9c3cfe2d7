package io.meshwork.networking.kad;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerIdFormatException;
import io.meshwork.networking.kad.pb.KadProto;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.multiformats.Varint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Encodes and checks kad-dht messages (kad-dht spec, "RPC messages"): each is a {@code
 * KadProto.Message} prefixed by its length as an unsigned varint.
 *
 * <p>Inbound messages are bounded before they are parsed ({@link
 * KadConfig#maxInboundMessageSize()}) and checked after; peer lists are read leniently (an entry
 * with a bad id or address is skipped) but never beyond k entries. Outbound replies are trimmed to
 * {@link KadConfig#maxReplySize()} so rust-libp2p, which refuses more than 16 KiB by default,
 * accepts them. Stateless.
 */
public final class KadCodec {
  /** Longest key we accept; CIDs, peer ids and record keys are far shorter. */
  static final int MAX_KEY_LENGTH = 1024;

  private KadCodec() {}

  /** {@code uvarint(length) ‖ message}. */
  public static byte[] encodeDelimited(KadProto.Message message) {
    int size = message.getSerializedSize();
    byte[] out = new byte[Varint.size(size) + size];
    byte[] prefix = Varint.encode(size);
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    CodedOutputStream stream = CodedOutputStream.newInstance(out, prefix.length, size);
    try {
      message.writeTo(stream);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("writing to an array cannot fail", e);
    }
    return out;
  }

  /** Size of {@link #encodeDelimited(KadProto.Message)}'s output. */
  public static int delimitedSize(KadProto.Message message) {
    int size = message.getSerializedSize();
    return Varint.size(size) + size;
  }

  /**
   * Parses and checks one message body (without its length prefix).
   *
   * @throws KadProtocolException if it is too large, not a Message, of an unknown type, or lacks
   *     the key its type needs
   */
  public static KadProto.Message decode(byte[] body, int maxSize) {
    if (body.length > maxSize) {
      throw new KadProtocolException(
          "kad message of " + body.length + " bytes exceeds the limit of " + maxSize);
    }
    KadProto.Message message;
    try {
      message = KadProto.Message.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new KadProtocolException("kad message is not a valid protobuf: " + e.getMessage(), e);
    }
    if (message.getType() == KadProto.Message.MessageType.UNRECOGNIZED) {
      throw new KadProtocolException("unknown kad message type " + message.getTypeValue());
    }
    if (message.getKey().size() > MAX_KEY_LENGTH) {
      throw new KadProtocolException(
          "kad key of " + message.getKey().size() + " bytes exceeds " + MAX_KEY_LENGTH);
    }
    return message;
  }

  /** A request for a lookup of {@code kind}. */
  public static KadProto.Message request(LookupQuery.Kind kind, byte[] key) {
    KadProto.Message.MessageType type =
        switch (kind) {
          case FIND_NODE -> KadProto.Message.MessageType.FIND_NODE;
          case GET_VALUE -> KadProto.Message.MessageType.GET_VALUE;
          case GET_PROVIDERS -> KadProto.Message.MessageType.GET_PROVIDERS;
        };
    return KadProto.Message.newBuilder().setType(type).setKey(ByteString.copyFrom(key)).build();
  }

  /**
   * Reads a reply to a lookup request.
   *
   * @throws KadProtocolException if it answers another request or carries a record for another key
   */
  public static LookupResponse lookupResponse(
      KadProto.Message reply, LookupQuery.Kind kind, byte[] key, KadConfig config) {
    if (reply.getType() != request(kind, key).getType()) {
      throw new KadProtocolException("asked " + kind + " but the reply is " + reply.getType());
    }
    Optional<byte[]> value = Optional.empty();
    if (kind == LookupQuery.Kind.GET_VALUE && reply.hasRecord()) {
      if (!reply.getRecord().getKey().equals(ByteString.copyFrom(key))) {
        throw new KadProtocolException("GET_VALUE reply carries a record for another key");
      }
      value = Optional.of(reply.getRecord().getValue().toByteArray());
    }
    List<KadPeer> providers =
        kind == LookupQuery.Kind.GET_PROVIDERS
            ? peers(reply.getProviderPeersList(), config.maxProvidersPerKey(), config)
            : List.of();
    return new LookupResponse(
        peers(reply.getCloserPeersList(), config.k(), config), value, providers);
  }

  /**
   * Reads up to {@code max} peers, skipping entries whose id is not a peer id, dropping addresses
   * that are not multiaddrs, merging duplicates, keeping at most {@link
   * KadConfig#maxAddressesPerPeer()} addresses each.
   */
  public static List<KadPeer> peers(List<KadProto.Message.Peer> wire, int max, KadConfig config) {
    Map<PeerId, KadPeer> peers = new LinkedHashMap<>();
    for (KadProto.Message.Peer entry : wire) {
      if (peers.size() == max) {
        break;
      }
      PeerId id;
      try {
        id = PeerId.fromBytes(entry.getId().toByteArray());
      } catch (PeerIdFormatException e) {
        continue;
      }
      if (peers.containsKey(id)) {
        continue;
      }
      List<Multiaddr> addresses = new ArrayList<>();
      for (ByteString bytes : entry.getAddrsList()) {
        if (addresses.size() == config.maxAddressesPerPeer()) {
          break;
        }
        try {
          addresses.add(Multiaddr.fromBytes(bytes.toByteArray()).withoutP2p());
        } catch (IllegalArgumentException e) {
          // an address we cannot read is just not usable; the rest of the entry still is
        }
      }
      peers.put(id, new KadPeer(id, addresses));
    }
    return List.copyOf(peers.values());
  }

  public static KadProto.Message.Peer toWire(KadPeer peer, int maxAddresses) {
    KadProto.Message.Peer.Builder builder =
        KadProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(peer.id().toBytes()));
    for (Multiaddr address : peer.addresses()) {
      if (builder.getAddrsCount() == maxAddresses) {
        break;
      }
      builder.addAddrs(ByteString.copyFrom(address.toBytes()));
    }
    return builder.build();
  }

  /**
   * Trims a reply to {@code maxSize} bytes including its length prefix, dropping the farthest
   * closer peers first, then providers. A reply whose record alone is too large is returned as is
   * (records are capped at {@link KadConfig#maxRecordSize()} when stored).
   */
  public static KadProto.Message fit(KadProto.Message reply, int maxSize) {
    if (delimitedSize(reply) <= maxSize) {
      return reply;
    }
    KadProto.Message.Builder builder = reply.toBuilder();
    while (delimitedSize(builder.build()) > maxSize
        && (builder.getCloserPeersCount() > 0 || builder.getProviderPeersCount() > 0)) {
      if (builder.getCloserPeersCount() > 0) {
        builder.removeCloserPeers(builder.getCloserPeersCount() - 1);
      } else {
        builder.removeProviderPeers(builder.getProviderPeersCount() - 1);
      }
    }
    return builder.build();
  }
}
