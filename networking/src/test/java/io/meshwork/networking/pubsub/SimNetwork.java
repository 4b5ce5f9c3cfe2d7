package io.meshwork.networking.pubsub;

import io.meshwork.networking.crypto.KeyType;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PrivateKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A network of {@link GossipRouter}s in virtual time: RPCs are encoded, carried with a per-link
 * latency (FIFO per direction, like a stream) and decoded at the receiver; heartbeats are events.
 */
final class SimNetwork {
  private record Event(long at, long seq, Runnable action) {}

  private record Link(PeerId from, PeerId to) {}

  private final PriorityQueue<Event> events =
      new PriorityQueue<>(
          (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long seq;
  long now;
  final Random random;
  final List<SimNode> nodes = new ArrayList<>();
  final Map<PeerId, SimNode> byId = new HashMap<>();
  private final Map<Link, Long> linkLatency = new HashMap<>();
  private final Map<Link, Long> linkLastArrival = new HashMap<>();
  private final Map<Link, Long> linkBusyUntil = new HashMap<>();
  long minLatencyMs = 5;
  long maxLatencyMs = 50;

  /** Link bandwidth in bytes per second, each direction; 0 for infinite. */
  long bandwidth;

  SimNetwork(long seed) {
    this.random = new Random(seed);
  }

  static long ms(long millis) {
    return millis * 1_000_000L;
  }

  SimNode addNode(GossipConfig config) {
    PrivateKey key = PrivateKey.generate(KeyType.ED25519);
    SimNode node = new SimNode(this, key, config, random.nextLong());
    nodes.add(node);
    byId.put(node.id, node);
    long period = config.heartbeatInterval().toNanos();
    long phase = (long) (random.nextDouble() * ms(100));
    schedule(now + phase + period, () -> heartbeat(node, period));
    return node;
  }

  private void heartbeat(SimNode node, long period) {
    if (!node.stopped) {
      node.router.heartbeat();
    }
    schedule(now + period, () -> heartbeat(node, period));
  }

  /** Connects a (dialer) to b (listener) on /meshsub/1.2.0 unless given otherwise. */
  void connect(SimNode a, SimNode b) {
    connect(a, b, GossipProtocol.MESHSUB_V12);
  }

  void connect(SimNode a, SimNode b, GossipProtocol protocol) {
    long latency = ms(minLatencyMs + random.nextInt((int) (maxLatencyMs - minLatencyMs + 1)));
    linkLatency.put(new Link(a.id, b.id), latency);
    linkLatency.put(new Link(b.id, a.id), latency);
    a.router.addPeer(b.id, protocol, true, Optional.of(address(b)));
    b.router.addPeer(a.id, protocol, false, Optional.of(address(a)));
  }

  boolean connected(SimNode a, SimNode b) {
    return linkLatency.containsKey(new Link(a.id, b.id));
  }

  private InetAddress address(SimNode n) {
    int i = nodes.indexOf(n) + 1;
    try {
      return InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Delivers bytes from one node to another after the link latency, in order. */
  void transmit(SimNode from, PeerId to, byte[] bytes) {
    Link link = new Link(from.id, to);
    Long latency = linkLatency.get(link);
    SimNode target = byId.get(to);
    if (latency == null || target == null) {
      return;
    }
    // A link sends one RPC after another: each waits for the previous to finish transmitting.
    long start = Math.max(now, linkBusyUntil.getOrDefault(link, 0L));
    long transmit = bandwidth == 0 ? 0 : bytes.length * 1_000_000_000L / bandwidth;
    linkBusyUntil.put(link, start + transmit);
    long arrival = Math.max(start + transmit + latency, linkLastArrival.getOrDefault(link, 0L) + 1);
    linkLastArrival.put(link, arrival);
    schedule(arrival, () -> target.receive(from.id, bytes));
  }

  void schedule(long at, Runnable action) {
    events.add(new Event(at, seq++, action));
  }

  void runFor(long nanos) {
    long end = now + nanos;
    while (!events.isEmpty() && events.peek().at <= end) {
      Event e = events.poll();
      now = e.at;
      e.action.run();
    }
    now = end;
  }

  /** Connects every node to random others until each has at least {@code minDegree} peers. */
  void randomTopology(int minDegree, int maxDegree) {
    // A ring first, so the graph is connected whatever the random draws.
    for (int i = 0; i < nodes.size(); i++) {
      SimNode a = nodes.get(i);
      SimNode b = nodes.get((i + 1) % nodes.size());
      if (!connected(a, b)) {
        connect(a, b);
      }
    }
    for (SimNode a : nodes) {
      int attempts = 0;
      while (a.router.peers().size() < minDegree && attempts++ < 1000) {
        SimNode b = nodes.get(random.nextInt(nodes.size()));
        if (b != a && !connected(a, b) && b.router.peers().size() < maxDegree) {
          connect(a, b);
        }
      }
    }
  }
}
