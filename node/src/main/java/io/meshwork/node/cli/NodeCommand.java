package io.meshwork.node.cli;

import io.meshwork.chain.ChainEvent;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Address;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.pubsub.ReceivedMessage;
import io.meshwork.node.Node;
import io.meshwork.node.NodeBuilder;
import io.meshwork.node.NodeConfig;
import io.meshwork.node.chain.AccountKeys;
import io.meshwork.node.chain.GenesisJson;
import io.meshwork.node.chain.Networks;
import io.meshwork.sync.mining.MiningConfig;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code meshwork node}: runs a node until interrupted, printing {@code listening}, {@code api},
 * {@code connected}, {@code disconnected}, {@code head <height> <hash>} (the head at start, then on
 * every head change) and (for {@code --subscribe} topics) {@code message} lines.
 */
@Command(name = "node", description = "Runs a Meshwork node until interrupted.")
final class NodeCommand implements Callable<Integer> {
  @Option(
      names = "--listen",
      required = true,
      description = "multiaddr to listen on, e.g. /ip4/127.0.0.1/tcp/4001")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--identity",
      description = "identity key file (meshwork keygen); a fresh Ed25519 key if absent")
  Path identity;

  @Option(
      names = "--bootstrap",
      description = "peer to dial at start, with /p2p/<peer-id> (repeatable)")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--data-dir", description = "directory for the node's state")
  Path dataDir;

  @Option(names = "--api", description = "HOST:PORT for the HTTP API (port 0 picks a free port)")
  String api;

  @Option(names = "--subscribe", description = "gossip topic to print messages of (repeatable)")
  List<String> subscribe = new ArrayList<>();

  @Option(names = "--network", description = "built-in network to join: dev (the default)")
  String network;

  @Option(names = "--genesis", description = "JSON genesis file of the network to join")
  Path genesis;

  @Option(names = "--mine", description = "mine blocks (at a fixed hash budget)")
  boolean mine;

  @Option(
      names = "--miner-key",
      description = "account key file the node mines for (logged; blocks carry no reward yet)")
  Path minerKey;

  @Option(
      names = "--hashes-per-second",
      description = "mining hash budget (default ${DEFAULT-VALUE})",
      defaultValue = "20000")
  long hashesPerSecond;

  /**
   * Lines of head changes that came before the listening lines (led by the head before the first
   * change); printed right after them. Guarded by itself, taken after the chain's lock.
   */
  private final List<String> earlyHeadLines = new ArrayList<>();

  private boolean listeningDone;

  @Override
  public Integer call() throws Exception {
    if (network != null && genesis != null) {
      throw new IllegalArgumentException("give --network or --genesis, not both");
    }
    GenesisConfig chosen =
        genesis != null
            ? GenesisJson.read(genesis)
            : Networks.require(network == null ? Networks.DEFAULT : network);
    if (minerKey != null && !mine) {
      throw new IllegalArgumentException("--miner-key needs --mine");
    }
    Optional<Address> miner = Optional.ofNullable(minerKey).map(f -> AccountKeys.read(f).address());
    Optional<MiningConfig> mining =
        mine
            ? Optional.of(new MiningConfig(hashesPerSecond, MiningConfig.defaults().slice()))
            : Optional.empty();
    List<Multiaddr> listenAddresses = listen.stream().map(NodeCommand::parse).toList();
    List<Multiaddr> bootstrapAddresses = bootstrap.stream().map(NodeCommand::parse).toList();
    for (Multiaddr peer : bootstrapAddresses) {
      if (peer.p2pMultihash().isEmpty()) {
        throw new IllegalArgumentException("bootstrap address " + peer + " needs /p2p/<peer-id>");
      }
    }
    NodeConfig config =
        new NodeConfig(
                listenAddresses,
                bootstrapAddresses,
                Optional.ofNullable(dataDir),
                Optional.ofNullable(api).map(NodeCommand::hostPort),
                subscribe)
            .withChain(chosen, mining, miner);
    PrintStream out = System.out;
    // Connection lines come after the listening lines, as the contract orders them; the event
    // thread waits for those (briefly: they are printed as soon as the node listens).
    CountDownLatch listeningPrinted = new CountDownLatch(1);
    NodeBuilder builder =
        new NodeBuilder(config)
            .onEvent(
                event -> {
                  awaitQuietly(listeningPrinted);
                  if (event instanceof NetworkEvent.PeerConnected c) {
                    print(out, "connected " + c.peerId());
                  } else if (event instanceof NetworkEvent.PeerDisconnected d) {
                    print(out, "disconnected " + d.peerId());
                  }
                })
            // On the importing thread, holding the chain's lock: never wait here.
            .onChainEvent(
                event -> {
                  if (event instanceof ChainEvent.HeadChanged changed) {
                    printHead(out, changed);
                  }
                })
            .onMessage(
                message -> {
                  awaitQuietly(listeningPrinted);
                  print(out, messageLine(message));
                });
    if (identity != null) {
      builder.identity(Identities.read(identity));
    }
    Node node = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stopped.countDown();
                }));
    for (Multiaddr address : node.listenAddresses()) {
      print(out, "listening " + address);
    }
    node.apiAddress()
        .ifPresent(a -> print(out, "api http://" + a.getHostString() + ":" + a.getPort()));
    // The chain's lock first, as on the importing thread (which holds it when it calls
    // printHead): the other order deadlocks with a miner that finds a block right now. Holding it,
    // no head change comes between the early lines and the switch to printing directly.
    synchronized (node.chain()) {
      synchronized (earlyHeadLines) {
        if (earlyHeadLines.isEmpty()) {
          print(out, headLine(node.chain().headHeader()));
        }
        earlyHeadLines.forEach(line -> print(out, line));
        earlyHeadLines.clear();
        listeningDone = true;
      }
    }
    listeningPrinted.countDown();
    stopped.await();
    return 0;
  }

  /**
   * {@code message <topic> <from> <size>}: "from" is the author when the message is signed, else
   * the peer that forwarded it to us.
   */
  static String messageLine(ReceivedMessage message) {
    PeerId from = message.author().orElse(message.propagationSource());
    return "message " + message.topic() + " " + from + " " + message.data().length;
  }

  static String headLine(BlockHeader header) {
    return "head " + header.height() + " " + header.hash().toHex();
  }

  /** Called on the importing thread, which holds the chain's lock. */
  private void printHead(PrintStream out, ChainEvent.HeadChanged changed) {
    String line = headLine(changed.newHead().header());
    synchronized (earlyHeadLines) {
      if (listeningDone) {
        print(out, line);
        return;
      }
      // Only while the node starts (a few lines at most). The head at start is the one before
      // the first change, so the lines read as a sequence: head 0, head 1, ...
      if (earlyHeadLines.isEmpty()) {
        earlyHeadLines.add(headLine(changed.previousHead().header()));
      }
      earlyHeadLines.add(line);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static synchronized void print(PrintStream out, String line) {
    out.println(line);
    out.flush();
  }

  static Multiaddr parse(String text) {
    try {
      return Multiaddr.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad multiaddr '" + text + "': " + e.getMessage(), e);
    }
  }

  static InetSocketAddress hostPort(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--api wants HOST:PORT, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new InetSocketAddress(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--api wants HOST:PORT, got '" + text + "'", e);
    }
  }
}
