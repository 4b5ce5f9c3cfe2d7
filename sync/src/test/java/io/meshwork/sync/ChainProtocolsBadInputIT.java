package io.meshwork.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.chain.ImportResult;
import io.meshwork.chain.consensus.ProofOfWork;
import io.meshwork.chain.genesis.Genesis;
import io.meshwork.chain.genesis.GenesisConfig;
import io.meshwork.chain.model.Block;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.CanonicalWriter;
import io.meshwork.chain.model.Hash;
import io.meshwork.chain.model.Transaction;
import io.meshwork.chain.validation.ValidationFailure.Reason;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.leak.LeakCheckExtension;
import io.meshwork.networking.reqresp.RateLimit;
import io.meshwork.networking.reqresp.ReqRespException;
import io.meshwork.networking.reqresp.ReqRespException.Kind;
import io.meshwork.networking.reqresp.ReqRespProtocol;
import io.meshwork.networking.reqresp.ResponseCode;
import io.meshwork.networking.testsupport.Eventually;
import io.meshwork.sync.compact.CompactBlockBuilder;
import io.meshwork.sync.wire.BlockAnnouncement;
import io.meshwork.sync.wire.BlockTxsRequest;
import io.meshwork.sync.wire.BlockTxsResponse;
import io.meshwork.sync.wire.BlocksByHashRequest;
import io.meshwork.sync.wire.BlocksByHashResponse;
import io.meshwork.sync.wire.Snappy;
import io.meshwork.sync.wire.StatusMessage;
import io.meshwork.sync.wire.TransactionBatch;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input on every chain protocol (chain-reqresp.md, chain-gossip.md) gets a typed error naming
 * what was wrong, leaves no stream open, and the node goes on serving honest peers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(LeakCheckExtension.class) // fails the class on a leaked Netty buffer
class ChainProtocolsBadInputIT {
  private static final GenesisConfig GENESIS = TestChains.genesis("synctest");
  private static final Hash GENESIS_HASH = Genesis.block(GENESIS).hash();
  private static final Hash UNKNOWN = Hash.sha256("no such block".getBytes(StandardCharsets.UTF_8));
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

  private final List<SyncTestNode> nodes = new ArrayList<>();
  private SyncTestNode server;
  private SyncTestNode client;
  private SyncProtocols protocols;
  private int clientStreams;
  private int serverStreams;

  @BeforeEach
  void start() {
    server = node();
    client = node();
    client.connect(server);
    protocols = server.sync.protocols();
    // The automatic status exchange is over once both sides know each other.
    Eventually.holds(
        () -> {
          assertThat(server.sync.peerStatus()).containsKey(client.host.peerId());
          assertThat(client.sync.peerStatus()).containsKey(server.host.peerId());
          for (String topic : List.of(protocols.txTopic(), protocols.blockTopic())) {
            assertThat(server.gossip.meshPeers(topic).join()).contains(client.host.peerId());
            assertThat(client.gossip.meshPeers(topic).join()).contains(server.host.peerId());
          }
        });
    // What stays open between the two (gossipsub's streams); every exchange must end back here.
    clientStreams = openStreams(client, server);
    serverStreams = openStreams(server, client);
  }

  @AfterEach
  void stop() {
    nodes.parallelStream().forEach(SyncTestNode::close);
  }

  private SyncTestNode node() {
    SyncTestNode node = SyncTestNode.start(GENESIS);
    nodes.add(node);
    return node;
  }

  // ---- status ----

  @Test
  void statusWithA200ByteNetworkIdIsAnInvalidRequestAndTheNodeKeepsServing() {
    byte[] longId = "n".repeat(200).getBytes(StandardCharsets.UTF_8);
    byte[] request =
        new CanonicalWriter(400)
            .varint(longId.length)
            .bytes(longId)
            .hash(GENESIS_HASH)
            .hash(GENESIS_HASH)
            .varint(0)
            .varint(0)
            .toByteArray();

    assertInvalidRequest(
        ask(protocols.status(), request), "network id length count 200 exceeds limit 64");
    assertStatusIsServed();
    assertNoStreamLeftOpen();
  }

  @Test
  void statusThatIsGarbageTruncatedOrHasTrailingBytesIsAnInvalidRequest() {
    byte[] valid = clientStatus().encode();

    assertInvalidRequest(ask(protocols.status(), garbage(120)), "status");
    assertInvalidRequest(
        ask(protocols.status(), Arrays.copyOf(valid, valid.length - 10)), "status: truncated");
    assertInvalidRequest(
        ask(protocols.status(), withTrailingBytes(valid)), "3 trailing bytes after status");
    assertInvalidRequest(ask(protocols.status(), new byte[0]), "status: truncated");
    assertStatusIsServed();
    assertNoStreamLeftOpen();
  }

  // ---- block-txs ----

  @Test
  void blockTxsWith6000IndexesIsAnInvalidRequestAndTheNodeKeepsServing() {
    Block block = minedBlockWithATransaction();
    // Deltas of 0 make indexes 0, 1, 2, ...: a well-formed list, only too long.
    CanonicalWriter writer = new CanonicalWriter(Hash.SIZE + 6_010);
    writer.hash(block.hash()).varint(6_000);
    writer.bytes(new byte[6_000]);

    assertInvalidRequest(
        ask(protocols.blockTxs(), writer.toByteArray()), "indexes count 6000 exceeds limit 5000");
    assertBlockTxsIsServed(block);
    assertNoStreamLeftOpen();
  }

  @Test
  void blockTxsThatIsGarbageTruncatedOrHasTrailingBytesIsAnInvalidRequest() {
    Block block = minedBlockWithATransaction();
    byte[] valid = new BlockTxsRequest(block.hash(), List.of(0)).encode();

    assertInvalidRequest(ask(protocols.blockTxs(), garbage(20)), "block-txs request");
    assertInvalidRequest(
        ask(protocols.blockTxs(), Arrays.copyOf(valid, valid.length - 1)),
        "block-txs request: truncated");
    assertInvalidRequest(
        ask(protocols.blockTxs(), withTrailingBytes(valid)),
        "3 trailing bytes after block-txs request");
    // A delta that takes the index past 2^31-1.
    byte[] overflowing =
        new CanonicalWriter(64).hash(block.hash()).varint(1).varint(1L << 40).toByteArray();
    assertInvalidRequest(ask(protocols.blockTxs(), overflowing), "above 2^31-1");
    assertBlockTxsIsServed(block);
    assertNoStreamLeftOpen();
  }

  @Test
  void blockTxsForAnUnknownBlockIsResourceUnavailable() {
    ReqRespException e =
        failure(ask(protocols.blockTxs(), new BlockTxsRequest(UNKNOWN, List.of(0)).encode()));

    assertThat(e.kind()).isEqualTo(Kind.REMOTE_ERROR);
    assertThat(e.code()).contains(ResponseCode.RESOURCE_UNAVAILABLE);
    assertThat(e.getMessage()).contains("unknown block");
  }

  @Test
  void blockTxsWithAnIndexOutOfRangeIsAnInvalidRequest() {
    Block block = minedBlockWithATransaction();

    assertInvalidRequest(
        ask(protocols.blockTxs(), new BlockTxsRequest(block.hash(), List.of(0, 1)).encode()),
        "index 1 out of range: block has 1 transactions");
    assertBlockTxsIsServed(block);
    assertNoStreamLeftOpen();
  }

  // ---- blocks-by-hash ----

  @Test
  void blocksByHashDeclaring65HashesIsAnInvalidRequestAndTheNodeKeepsServing() {
    Block block = server.mine();
    // Declares 65 but carries 64, so the frame fits the protocol's request cap: the decoder's
    // count check is what refuses it.
    CanonicalWriter writer = new CanonicalWriter(8 + 65 * Hash.SIZE);
    writer.varint(65);
    for (int i = 0; i < 64; i++) {
      writer.hash(UNKNOWN);
    }

    assertInvalidRequest(
        ask(protocols.blocksByHash(), writer.toByteArray()), "hashes count 65 exceeds limit 64");
    assertBlocksByHashIsServed(block);
    assertNoStreamLeftOpen();
  }

  @Test
  void blocksByHashCarrying65HashesIsRefusedByTheRequestCap() {
    Block block = server.mine();
    List<Hash> hashes = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      hashes.add(UNKNOWN);
    }
    byte[] request = new BlocksByHashRequest(hashes).encode();
    // Our own framework would refuse to send it; a peer with a looser limit does not.
    ReqRespProtocol loose = withLimits(protocols.blocksByHash(), 1 << 20, 64);

    assertInvalidRequest(
        client.reqResp.request(server.host.peerId(), loose, request),
        request.length
            + " uncompressed bytes, over the cap of "
            + protocols.blocksByHash().maxRequestBytes());
    assertBlocksByHashIsServed(block);
    assertNoStreamLeftOpen();
  }

  @Test
  void blocksByHashThatIsGarbageTruncatedOrHasTrailingBytesIsAnInvalidRequest() {
    Block block = server.mine();
    byte[] valid = new BlocksByHashRequest(List.of(block.hash())).encode();

    assertInvalidRequest(ask(protocols.blocksByHash(), new byte[] {0}), "no hashes");
    assertInvalidRequest(ask(protocols.blocksByHash(), garbage(40)), "blocks-by-hash request");
    assertInvalidRequest(
        ask(protocols.blocksByHash(), Arrays.copyOf(valid, valid.length - 5)),
        "blocks-by-hash request: truncated");
    assertInvalidRequest(
        ask(protocols.blocksByHash(), withTrailingBytes(valid)),
        "3 trailing bytes after blocks-by-hash request");
    assertBlocksByHashIsServed(block);
    assertNoStreamLeftOpen();
  }

  @Test
  void blocksByHashForUnknownHashesAnswersOkWithNoBlocks() {
    byte[] answer =
        ok(
            ask(
                protocols.blocksByHash(),
                new BlocksByHashRequest(List.of(UNKNOWN, Hash.sha256(new byte[] {1, 2, 3})))
                    .encode()));

    assertThat(BlocksByHashResponse.decode(answer, 64, 5_000).blocks()).isEmpty();
  }

  // ---- raw streams that are not a frame ----

  @Test
  void aRawStreamOfGarbageOnEveryChainProtocolIsAnsweredWithAnErrorOrResetAndLeavesNoStreamOpen()
      throws Exception {
    Block block = minedBlockWithATransaction();
    // A length varint longer than 5 bytes; an HTTP request; a frame cut short; a whole frame whose
    // snappy block is corrupt.
    List<byte[]> notFrames =
        List.of(
            new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1},
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8),
            new byte[] {100, 1, 2, 3},
            new byte[] {3, 5, (byte) 0xff, (byte) 0xff});

    for (ReqRespProtocol protocol :
        List.of(protocols.status(), protocols.blockTxs(), protocols.blocksByHash())) {
      for (byte[] notAFrame : notFrames) {
        RawOutcome outcome = raw(protocol.id(), notAFrame).get(20, TimeUnit.SECONDS);
        assertThat(outcome.reset() || (outcome.code() != null && outcome.code() != ResponseCode.OK))
            .as("%s answered %s to %s", protocol.id(), outcome, Arrays.toString(notAFrame))
            .isTrue();
      }
    }

    assertNoStreamLeftOpen();
    assertStatusIsServed();
    assertBlockTxsIsServed(block);
    assertBlocksByHashIsServed(block);
  }

  // ---- floods ----

  @Test
  void aStatusFloodIsRefusedLocallyPastTheConcurrencyLimitAndNothingHangs() {
    List<CompletableFuture<byte[]>> flood = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      flood.add(ask(protocols.status(), clientStatus().encode()));
    }

    List<Outcome> outcomes = outcomes(flood);
    assertThat(outcomes).allMatch(o -> o.ok() || o.rateLimited(), "ok or rate limited");
    assertThat(outcomes).anyMatch(o -> o.kind() == Kind.LOCAL_RATE_LIMITED);
    assertStatusIsServed();
  }

  @Test
  void aFloodPastTheServersRateLimitsIsRateLimitedOnEveryProtocolAndTheNodeRecovers() {
    Block block = minedBlockWithATransaction();
    List<Flood> floods =
        List.of(
            new Flood(protocols.status(), () -> clientStatus().encode(), 40),
            new Flood(
                protocols.blockTxs(),
                () -> new BlockTxsRequest(block.hash(), List.of(0)).encode(),
                150),
            new Flood(
                protocols.blocksByHash(),
                () -> new BlocksByHashRequest(List.of(block.hash())).encode(),
                150));

    for (Flood flood : floods) {
      // A requester that ignores the limits: the server has to enforce them.
      ReqRespProtocol loose =
          withLimits(flood.protocol(), flood.protocol().maxRequestBytes(), 1_000);
      List<CompletableFuture<byte[]>> requests = new ArrayList<>();
      for (int i = 0; i < flood.requests(); i++) {
        requests.add(client.reqResp.request(server.host.peerId(), loose, flood.request().get()));
      }
      List<Outcome> outcomes = outcomes(requests);
      assertThat(outcomes)
          .as("%s flood", flood.protocol().id())
          .allMatch(o -> o.ok() || o.rateLimited(), "ok or rate limited");
      assertThat(outcomes)
          .as("%s flood", flood.protocol().id())
          .anyMatch(o -> o.code() == ResponseCode.RATE_LIMITED);
    }

    // Buckets refill (status: one token a second): each protocol answers again.
    Eventually.holds(this::assertStatusIsServed);
    Eventually.holds(() -> assertBlockTxsIsServed(block));
    Eventually.holds(() -> assertBlocksByHashIsServed(block));
  }

  // ---- gossip: the tx topic ----

  @Test
  void garbageOnTheTxTopicIsRejectedAndHonestTransactionsStillArrive() {
    SyncTestNode attacker = attackerInTheMeshes();

    assertVictimRejectsTx(attacker, "not snappy, not a batch".getBytes(StandardCharsets.UTF_8));
    assertVictimRejectsTx(attacker, Snappy.compress(garbage(300)));
    assertAnHonestTransactionStillArrives(3);
  }

  @Test
  void aSnappyBombOnTheTxTopicIsRejectedAndHonestTransactionsStillArrive() {
    SyncTestNode attacker = attackerInTheMeshes();

    assertVictimRejectsTx(attacker, snappyBomb(100 << 20));
    assertAnHonestTransactionStillArrives(4);
  }

  @Test
  void aBatchWithAForgedSignatureIsRejectedAndTheForgedTransactionNeverReachesTheMempool() {
    SyncTestNode attacker = attackerInTheMeshes();
    Transaction forged = forged(TestChains.transfer(GENESIS_HASH, 5, 6, 1_000, 0));
    assertThat(forged.hasValidSignature(GENESIS_HASH)).isFalse();

    assertVictimRejectsTx(
        attacker, Snappy.compress(new TransactionBatch(List.of(forged)).encode()));
    assertThat(server.chain.mempoolTransactions()).doesNotContain(forged);
    assertAnHonestTransactionStillArrives(7);
    assertThat(server.chain.mempoolTransactions()).doesNotContain(forged);
  }

  // ---- gossip: the block topic ----

  @Test
  void aCompactBlockWhosePrefilledTransactionIsForgedIsRejectedAndTheHeadStays() {
    SyncTestNode attacker = attackerInTheMeshes();
    Transaction forged = forged(TestChains.transfer(GENESIS_HASH, 5, 6, 1_000, 0));
    Block template = attacker.chain.blockTemplate();
    BlockHeader h = template.header();
    BlockHeader unworked =
        new BlockHeader(
            h.parent(),
            h.height(),
            h.timestampMillis(),
            Block.transactionsRoot(List.of(forged)),
            h.stateRoot(),
            h.difficultyBits(),
            0);
    Block block = new Block(nonce(unworked, true), List.of(forged));
    // The block is bad for its signature only: the attacker's own chain says so.
    assertThat(attacker.chain.importBlock(block))
        .isInstanceOfSatisfying(
            ImportResult.Invalid.class,
            invalid -> assertThat(invalid.failure().reason()).isEqualTo(Reason.BAD_SIGNATURE));

    assertVictimRejectsBlock(
        attacker, new BlockAnnouncement.Compact(CompactBlockBuilder.build(block, 7L, id -> true)));
    assertAnHonestBlockStillArrives();
  }

  @Test
  void aCompactBlockWithoutProofOfWorkIsRejectedAndTheHeadStays() {
    SyncTestNode attacker = attackerInTheMeshes();
    Block template = attacker.chain.blockTemplate();
    Block block = new Block(nonce(template.header(), false), template.transactions());
    assertThat(attacker.chain.checkHeaders(List.of(block.header()))).isPresent();

    assertVictimRejectsBlock(
        attacker, new BlockAnnouncement.Compact(CompactBlockBuilder.build(block, 7L, id -> true)));
    assertAnHonestBlockStillArrives();
  }

  // ---- helpers ----

  private CompletableFuture<byte[]> ask(ReqRespProtocol protocol, byte[] request) {
    return client.reqResp.request(server.host.peerId(), protocol, request);
  }

  private StatusMessage clientStatus() {
    BlockHeader head = client.chain.headHeader();
    return new StatusMessage(
        GENESIS.networkId(),
        client.chain.genesisHash(),
        head.hash(),
        head.height(),
        client.chain.headCumulativeWork());
  }

  private void assertStatusIsServed() {
    StatusMessage theirs =
        StatusMessage.decode(ok(ask(protocols.status(), clientStatus().encode())));
    assertThat(theirs.headHash()).isEqualTo(server.chain.headHeader().hash());
  }

  private void assertBlockTxsIsServed(Block block) {
    BlockTxsResponse answer =
        BlockTxsResponse.decode(
            ok(ask(protocols.blockTxs(), new BlockTxsRequest(block.hash(), List.of(0)).encode())),
            5_000);
    assertThat(answer.transactions()).containsExactly(block.transactions().get(0));
  }

  private void assertBlocksByHashIsServed(Block block) {
    byte[] answer =
        ok(ask(protocols.blocksByHash(), new BlocksByHashRequest(List.of(block.hash())).encode()));
    assertThat(BlocksByHashResponse.decode(answer, 64, 5_000).blocks()).containsExactly(block);
  }

  /** A block on the server's chain holding one transfer. */
  private Block minedBlockWithATransaction() {
    Transaction tx = TestChains.transfer(GENESIS_HASH, 1, 2, 10, 0);
    server.sync.submit(tx);
    Block block = server.mine();
    assertThat(block.transactions()).containsExactly(tx);
    return block;
  }

  private static void assertInvalidRequest(CompletableFuture<byte[]> request, String reason) {
    ReqRespException e = failure(request);
    assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.REMOTE_ERROR);
    assertThat(e.code()).as("%s", e.getMessage()).contains(ResponseCode.INVALID_REQUEST);
    assertThat(e.getMessage()).contains(reason);
  }

  private static byte[] ok(CompletableFuture<byte[]> request) {
    try {
      return request.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the request failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the request neither completed nor failed", e);
    }
  }

  private static ReqRespException failure(CompletableFuture<?> request) {
    try {
      request.get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ReqRespException.class);
      return (ReqRespException) e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the request neither completed nor failed", e);
    }
    throw new AssertionError("the request succeeded");
  }

  /** How each request ended; fails if any is still pending after the timeout. */
  private static List<Outcome> outcomes(List<CompletableFuture<byte[]>> requests) {
    try {
      CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      long pending = requests.stream().filter(r -> !r.isDone()).count();
      throw new AssertionError(pending + " of " + requests.size() + " requests hang", e);
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (CompletableFuture<byte[]> request : requests) {
      if (!request.isCompletedExceptionally()) {
        outcomes.add(new Outcome(null, null, null));
        continue;
      }
      ReqRespException e = failure(request);
      outcomes.add(new Outcome(e.kind(), e.code().orElse(null), e.getMessage()));
    }
    return outcomes;
  }

  /** A request's end: kind null for ok. */
  private record Outcome(Kind kind, ResponseCode code, String message) {
    boolean ok() {
      return kind == null;
    }

    boolean rateLimited() {
      return kind == Kind.LOCAL_RATE_LIMITED
          || (kind == Kind.REMOTE_ERROR && code == ResponseCode.RATE_LIMITED);
    }
  }

  private record Flood(ReqRespProtocol protocol, Supplier<byte[]> request, int requests) {}

  /** {@code protocol} as a requester that ignores its request cap and concurrency limit sees it. */
  private static ReqRespProtocol withLimits(
      ReqRespProtocol protocol, int maxRequestBytes, int maxConcurrentPerPeer) {
    return new ReqRespProtocol(
        protocol.id(),
        maxRequestBytes,
        protocol.maxResponseBytes(),
        protocol.timeout(),
        RateLimit.unlimited(),
        RateLimit.unlimited(),
        maxConcurrentPerPeer);
  }

  /** A third node, meshed with the server (the victim) on both topics next to the client. */
  private SyncTestNode attackerInTheMeshes() {
    SyncTestNode attacker = node();
    attacker.connect(server);
    Eventually.holds(
        () -> {
          for (String topic : List.of(protocols.txTopic(), protocols.blockTopic())) {
            assertThat(server.gossip.meshPeers(topic).join())
                .contains(attacker.host.peerId(), client.host.peerId());
            assertThat(attacker.gossip.meshPeers(topic).join()).contains(server.host.peerId());
          }
        });
    return attacker;
  }

  private void assertVictimRejectsTx(SyncTestNode attacker, byte[] payload) {
    long before = server.sync.metrics().txsRejected();
    attacker.gossip.publish(protocols.txTopic(), payload).join();
    Eventually.holds(() -> assertThat(server.sync.metrics().txsRejected()).isGreaterThan(before));
  }

  private void assertAnHonestTransactionStillArrives(int from) {
    Transaction tx = TestChains.transfer(GENESIS_HASH, from, 9, 5, 0);
    assertThat(client.sync.submit(tx)).isInstanceOf(io.meshwork.chain.mempool.Mempool.Added.class);
    Eventually.holds(() -> assertThat(server.chain.mempoolTransaction(tx.id())).contains(tx));
  }

  private void assertVictimRejectsBlock(SyncTestNode attacker, BlockAnnouncement announcement) {
    Hash head = server.chain.headHeader().hash();
    long before = server.sync.metrics().blocksRejected();
    attacker.gossip.publish(protocols.blockTopic(), Snappy.compress(announcement.encode())).join();
    Eventually.holds(
        () -> assertThat(server.sync.metrics().blocksRejected()).isGreaterThan(before));
    assertThat(server.chain.headHeader().hash()).isEqualTo(head);
    assertThat(server.chain.header(announcement.header().hash())).isEmpty();
  }

  private void assertAnHonestBlockStillArrives() {
    Block honest = client.mine();
    Eventually.holds(() -> assertThat(server.chain.headHeader().hash()).isEqualTo(honest.hash()));
  }

  /** {@code tx} with one bit of its signature flipped. */
  private static Transaction forged(Transaction tx) {
    byte[] signature = tx.signature();
    signature[0] ^= 1;
    return Transaction.of(tx.senderKey(), tx.to(), tx.amount(), tx.fee(), tx.nonce(), signature);
  }

  /** The first nonce at which {@code header} meets its target ({@code work}) or misses it. */
  private static BlockHeader nonce(BlockHeader header, boolean work) {
    ProofOfWork pow = new ProofOfWork(GENESIS.params());
    for (long nonce = 0; ; nonce++) {
      BlockHeader candidate = header.withNonce(nonce);
      if (pow.check(candidate).isEmpty() == work) {
        return candidate;
      }
    }
  }

  /**
   * A raw snappy block declaring {@code declared} bytes (the leading varint, written by hand)
   * followed by one literal and copies of it that would inflate towards that size.
   */
  private static byte[] snappyBomb(int declared) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long v = declared; ; v >>>= 7) {
      if (v < 0x80) {
        out.write((int) v);
        break;
      }
      out.write((int) (v & 0x7f) | 0x80);
    }
    out.write(0x00); // a literal of one byte
    out.write('x');
    for (int i = 0; i < 4_000; i++) {
      out.write(0xfe); // a copy of 64 bytes, 2-byte offset 1
      out.write(0x01);
      out.write(0x00);
    }
    return out.toByteArray();
  }

  private static byte[] garbage(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (0xA5 ^ (i * 31));
    }
    return bytes;
  }

  private static byte[] withTrailingBytes(byte[] valid) {
    byte[] out = Arrays.copyOf(valid, valid.length + 3);
    out[valid.length] = 1;
    out[valid.length + 1] = 2;
    out[valid.length + 2] = 3;
    return out;
  }

  private void assertNoStreamLeftOpen() {
    Eventually.holds(
        () -> {
          assertThat(openStreams(client, server)).as("client streams").isEqualTo(clientStreams);
          assertThat(openStreams(server, client)).as("server streams").isEqualTo(serverStreams);
        });
  }

  private static int openStreams(SyncTestNode at, SyncTestNode peer) {
    return at.host.connection(peer.host.peerId()).orElseThrow().streamCount();
  }

  /** What a raw stream got back: the response code byte (if any), or that it was reset. */
  private record RawOutcome(ResponseCode code, boolean reset, int bytes) {}

  /** Writes {@code bytes} on a new stream of {@code protocolId}, half-closes, reads to the end. */
  private CompletableFuture<RawOutcome> raw(String protocolId, byte[] bytes) throws Exception {
    Stream stream =
        client.host.newStream(server.host.peerId(), List.of(protocolId)).get(10, TimeUnit.SECONDS);
    CompletableFuture<RawOutcome> outcome = new CompletableFuture<>();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    stream.read(
        new StreamReader() {
          @Override
          public void onData(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            received.writeBytes(chunk);
          }

          @Override
          public void onEndOfStream() {
            outcome.complete(of(received.toByteArray(), false));
            stream.close();
          }

          @Override
          public void onError(Throwable cause) {
            outcome.complete(of(received.toByteArray(), true));
          }
        });
    stream.write(ByteBuffer.wrap(bytes)).thenCompose(v -> stream.closeWrite());
    return outcome;
  }

  private static RawOutcome of(byte[] received, boolean reset) {
    ResponseCode code =
        received.length == 0 ? null : ResponseCode.fromWire(received[0] & 0xff).orElse(null);
    return new RawOutcome(code, reset, received.length);
  }
}
