package io.meshwork.networking.kad;

import com.google.protobuf.ByteString;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerIdFormatException;
import io.meshwork.networking.kad.pb.KadProto;
import io.meshwork.networking.multiformats.Multiaddr;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers inbound DHT requests (kad-dht spec, "RPC messages", one requirement per message type)
 * from the routing table, the record store and the provider store. Sans-IO: it maps a decoded
 * request to a reply; the caller reads and writes the stream.
 *
 * <p>Not thread-safe: called on the DHT's thread, which owns the table and stores.
 */
public final class KadServer {
  private final PeerId localPeer;
  private final Supplier<List<Multiaddr>> localAddresses;
  private final RoutingTable table;
  private final RecordStore records;
  private final ProviderStore providers;
  private final KadConfig config;
  private final Clock wallClock;

  public KadServer(
      RoutingTable table,
      RecordStore records,
      ProviderStore providers,
      Supplier<List<Multiaddr>> localAddresses,
      KadConfig config,
      Clock wallClock) {
    this.localPeer = table.localPeer();
    this.table = table;
    this.records = records;
    this.providers = providers;
    this.localAddresses = localAddresses;
    this.config = config;
    this.wallClock = wallClock;
  }

  /**
   * The reply to {@code request} from {@code sender}, trimmed to {@link KadConfig#maxReplySize()};
   * empty for ADD_PROVIDER, which has none.
   *
   * @throws KadProtocolException if the request breaks the spec (e.g. PUT_VALUE without a valid
   *     record); the caller resets the stream and may penalise the sender
   */
  public Optional<KadProto.Message> handle(PeerId sender, KadProto.Message request, long nowNanos) {
    byte[] key = request.getKey().toByteArray();
    KadProto.Message.Builder reply =
        KadProto.Message.newBuilder().setType(request.getType()).setKey(request.getKey());
    switch (request.getType()) {
      case FIND_NODE -> addCloserPeers(reply, sender, key);
      case GET_VALUE -> {
        requireKey(key, request.getType());
        records
            .get(key, nowNanos)
            .ifPresent(
                r ->
                    reply.setRecord(
                        KadProto.Record.newBuilder()
                            .setKey(request.getKey())
                            .setValue(ByteString.copyFrom(r.value()))
                            .setTimeReceived(r.received().toString())));
        addCloserPeers(reply, sender, key);
      }
      case PUT_VALUE -> {
        requireKey(key, request.getType());
        if (!request.hasRecord() || !request.getRecord().getKey().equals(request.getKey())) {
          throw new KadProtocolException("PUT_VALUE needs a record whose key is the message key");
        }
        try {
          records.put(key, request.getRecord().getValue().toByteArray(), now(), nowNanos);
        } catch (InvalidRecordException e) {
          throw new KadProtocolException("PUT_VALUE with an invalid record: " + e.getMessage(), e);
        }
        return Optional.of(request); // go and js echo the request
      }
      case ADD_PROVIDER -> {
        requireKey(key, request.getType());
        addProviders(sender, key, request.getProviderPeersList(), nowNanos);
        return Optional.empty();
      }
      case GET_PROVIDERS -> {
        requireKey(key, request.getType());
        for (KadPeer provider : providers.providers(key, nowNanos)) {
          reply.addProviderPeers(KadCodec.toWire(provider, config.maxAddressesPerPeer()));
        }
        addCloserPeers(reply, sender, key);
      }
      case PING -> {
        return Optional.of(KadProto.Message.newBuilder().setType(request.getType()).build());
      }
      default -> throw new KadProtocolException("unknown kad message type " + request.getType());
    }
    return Optional.of(KadCodec.fit(reply.build(), config.maxReplySize()));
  }

  private void addCloserPeers(KadProto.Message.Builder reply, PeerId sender, byte[] key) {
    List<KadPeer> closer = new ArrayList<>();
    if (isLocalPeer(key)) {
      closer.add(new KadPeer(localPeer, localAddresses.get()));
    }
    for (KadPeer peer : table.closest(KadKey.of(key), config.k() + 1)) {
      if (!peer.id().equals(sender) && closer.size() < config.k()) {
        closer.add(peer);
      }
    }
    for (KadPeer peer : closer) {
      reply.addCloserPeers(KadCodec.toWire(peer, config.maxAddressesPerPeer()));
    }
  }

  private boolean isLocalPeer(byte[] key) {
    try {
      return PeerId.fromBytes(key).equals(localPeer);
    } catch (PeerIdFormatException e) {
      return false;
    }
  }

  /**
   * Stores the providerPeers entries that are the sender itself (kad-dht spec, "ADD_PROVIDER": only
   * those are recorded; a peer cannot announce others). Without addresses in the entry, the
   * addresses our table has for the sender are used.
   */
  private void addProviders(
      PeerId sender, byte[] key, List<KadProto.Message.Peer> wire, long nowNanos) {
    for (KadPeer provider : KadCodec.peers(wire, config.k(), config)) {
      if (!provider.id().equals(sender)) {
        continue;
      }
      KadPeer withAddresses =
          provider.addresses().isEmpty() ? table.find(sender).orElse(provider) : provider;
      providers.add(key, withAddresses, nowNanos);
    }
  }

  private static void requireKey(byte[] key, KadProto.Message.MessageType type) {
    if (key.length == 0) {
      throw new KadProtocolException(type + " needs a key");
    }
  }

  private Instant now() {
    return wallClock.instant();
  }
}
