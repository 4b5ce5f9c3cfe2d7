package io.meshwork.networking.kad;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.kad.pb.KadProto;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A Kademlia network in one thread and virtual time: every node has a real {@link RoutingTable} and
 * {@link KadServer}; requests and replies go through the real {@link KadCodec} (encoded,
 * size-checked, decoded) and arrive after a per-link latency. Nodes can be made unresponsive (never
 * answer) or liars (answer with made-up peers that do not exist).
 */
final class SimulatedKadNetwork {
  final KadConfig config;
  final Random random;
  final List<KadPeer> peers = new ArrayList<>();
  final Map<PeerId, Node> nodes = new HashMap<>();
  final Set<PeerId> unresponsive = new HashSet<>();
  final Set<PeerId> liars = new HashSet<>();
  long messages;

  final class Node {
    final KadPeer self;
    final RoutingTable table;
    final KadServer server;
    final RecordStore records;
    final ProviderStore providers;

    Node(KadPeer self, RecordValidator validator) {
      this.self = self;
      this.table = new RoutingTable(self.id(), config, 0);
      this.records = new RecordStore(validator, config);
      this.providers = new ProviderStore(config);
      this.server =
          new KadServer(table, records, providers, self::addresses, config, Clock.systemUTC());
    }
  }

  SimulatedKadNetwork(int size, KadConfig config, long seed, RecordValidator validator) {
    this.config = config;
    this.random = new Random(seed);
    for (int i = 0; i < size; i++) {
      KadPeer peer = KadTestPeers.randomPeer(random);
      peers.add(peer);
      nodes.put(peer.id(), new Node(peer, validator));
    }
  }

  /** Offers each node {@code known} random other peers (full buckets keep their first peers). */
  void fillTablesRandomly(int known) {
    for (KadPeer peer : peers) {
      List<KadPeer> others = new ArrayList<>(peers);
      others.remove(peer);
      Collections.shuffle(others, random);
      RoutingTable table = nodes.get(peer.id()).table;
      for (KadPeer other : others.subList(0, Math.min(known, others.size()))) {
        table.offer(other);
      }
    }
  }

  /**
   * Every node looks up its own id (kad-dht spec, "Bootstrap process") and adds the closest peers
   * it found to its table, as a real node does after joining.
   */
  void bootstrapAll() {
    for (KadPeer peer : peers) {
      RoutingTable table = node(peer.id()).table;
      byte[] self = peer.id().toBytes();
      LookupQuery query =
          LookupQuery.findNode(
              self, peer.id(), table.closest(KadKey.of(self), config.k()), config, 0);
      for (KadPeer found : run(peer.id(), query, 0).closestPeers()) {
        table.offer(found);
      }
    }
  }

  Node node(PeerId id) {
    return nodes.get(id);
  }

  /** One-way latency of a link, 5 to 50 ms, the same both ways. */
  long latencyNanos(PeerId a, PeerId b) {
    int h = a.hashCode() ^ b.hashCode();
    return TimeUnit.MILLISECONDS.toNanos(5 + Math.floorMod(h, 46));
  }

  private record Arrival(long atNanos, long order, PeerId from, KadProto.Message reply) {}

  /**
   * Runs {@code query} from {@code origin} to the end in virtual time starting at {@code
   * startNanos}. Peers that time out or are distrusted are removed from the origin's table (the
   * penalty), including requests still unanswered when the lookup ends: like a real driver, the
   * simulation lets each request run to its own timeout.
   */
  LookupResult run(PeerId origin, LookupQuery query, long startNanos) {
    PriorityQueue<Arrival> arrivals =
        new PriorityQueue<>(
            (x, y) ->
                x.atNanos != y.atNanos
                    ? Long.compare(x.atNanos, y.atNanos)
                    : Long.compare(x.order, y.order));
    long order = 0;
    long now = startNanos;
    RoutingTable originTable = node(origin).table;
    Set<PeerId> neverAnswering = new HashSet<>();
    while (true) {
      LookupQuery.Step step = query.poll(now);
      step.timedOut().forEach(originTable::remove);
      step.distrusted().forEach(originTable::remove);
      if (step.finished()) {
        neverAnswering.forEach(originTable::remove);
        return query.result().orElseThrow();
      }
      for (LookupQuery.Request request : step.send()) {
        messages++;
        PeerId to = request.peer().id();
        byte[] wire = KadCodec.encodeDelimited(KadCodec.request(query.kind(), query.key()));
        if (!nodes.containsKey(to) || unresponsive.contains(to)) {
          neverAnswering.add(to);
          continue; // nobody there, or a node that never answers: the query must time out
        }
        KadProto.Message reply = answer(origin, to, wire, now);
        long rtt = 2 * latencyNanos(origin, to);
        arrivals.add(new Arrival(now + rtt, order++, to, reply));
      }
      long next = query.nextDeadlineNanos().orElseThrow();
      if (!arrivals.isEmpty() && arrivals.peek().atNanos <= next) {
        Arrival arrival = arrivals.poll();
        now = arrival.atNanos;
        try {
          query.onResponse(
              arrival.from,
              KadCodec.lookupResponse(arrival.reply, query.kind(), query.key(), config),
              now);
          originTable.seen(arrival.from);
        } catch (KadProtocolException e) {
          query.onFailure(arrival.from, now);
        }
      } else {
        now = next;
      }
    }
  }

  private KadProto.Message answer(PeerId origin, PeerId to, byte[] wire, long now) {
    byte[] body = withoutPrefix(wire);
    KadProto.Message request = KadCodec.decode(body, config.maxInboundMessageSize());
    if (liars.contains(to)) {
      KadProto.Message.Builder lie =
          KadProto.Message.newBuilder().setType(request.getType()).setKey(request.getKey());
      for (int i = 0; i < config.k(); i++) {
        lie.addCloserPeers(KadCodec.toWire(KadTestPeers.randomPeer(random), 2));
      }
      return lie.build();
    }
    KadProto.Message reply = node(to).server.handle(origin, request, now).orElseThrow();
    // the request came over a connection; identify then tells the responder the asker serves kad
    node(to).table.offer(node(origin).self);
    byte[] replyWire = KadCodec.encodeDelimited(reply);
    if (replyWire.length > config.maxReplySize()) {
      throw new AssertionError("reply of " + replyWire.length + " bytes exceeds the reply limit");
    }
    return KadCodec.decode(withoutPrefix(replyWire), config.maxInboundMessageSize());
  }

  private static byte[] withoutPrefix(byte[] delimited) {
    int offset = io.meshwork.networking.multiformats.Varint.decode(delimited, 0).length();
    return java.util.Arrays.copyOfRange(delimited, offset, delimited.length);
  }
}
