package io.meshwork.networking.reqresp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.core.StreamReader;
import io.meshwork.networking.host.HostBuilder;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.reqresp.ReqRespException.Kind;
import io.meshwork.networking.testsupport.Eventually;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request/response framework between real hosts on 127.0.0.1. */
class ReqRespIT {
  private static final Multiaddr LOOPBACK = Multiaddr.fromString("/ip4/127.0.0.1/tcp/0");
  private static final ReqRespProtocol ECHO =
      new ReqRespProtocol(
          "/meshwork/test/echo/1",
          2 * 1024 * 1024,
          2 * 1024 * 1024,
          Duration.ofSeconds(10),
          RateLimit.unlimited(),
          RateLimit.unlimited(),
          8);

  private final List<Host> hosts = new ArrayList<>();
  private final List<ReqResp> runtimes = new ArrayList<>();
  private final AtomicLong serverClock = new AtomicLong();
  private final List<NetworkEvent.PeerMisbehaved> misbehaved = new CopyOnWriteArrayList<>();
  private Host server;
  private Host client;
  private ReqResp serverReqResp;
  private ReqResp clientReqResp;

  @BeforeEach
  void start() throws Exception {
    server = host();
    client = host();
    server.subscribe(
        event -> {
          if (event instanceof NetworkEvent.PeerMisbehaved report) {
            misbehaved.add(report);
          }
        });
    serverReqResp = runtime(ReqResp.start(server, serverClock::get));
    clientReqResp = runtime(ReqResp.start(client));
    client
        .dial(server.listenAddresses().get(0).withP2p(server.peerId().toBytes()))
        .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    runtimes.forEach(ReqResp::close);
    hosts.forEach(Host::close);
  }

  private Host host() throws Exception {
    Host host = new HostBuilder().build();
    hosts.add(host);
    host.listen(LOOPBACK).get(5, TimeUnit.SECONDS);
    return host;
  }

  private ReqResp runtime(ReqResp runtime) {
    runtimes.add(runtime);
    return runtime;
  }

  private CompletableFuture<byte[]> ask(ReqRespProtocol protocol, String text) {
    return clientReqResp.request(server.peerId(), protocol, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] ok(CompletableFuture<byte[]> request) throws Exception {
    return request.get(20, TimeUnit.SECONDS);
  }

  private static ReqRespException failure(CompletableFuture<?> request) {
    try {
      request.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ReqRespException.class);
      return (ReqRespException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the request neither completed nor failed", e);
    }
    throw new AssertionError("the request succeeded");
  }

  private static RequestHandler echo() {
    return (peer, request) -> CompletableFuture.completedFuture(Response.ok(request));
  }

  private void awaitNoStreamsLeftOpen() {
    Eventually.holds(
        () -> {
          assertThat(client.connection(server.peerId()).orElseThrow().streamCount())
              .as("client streams left open")
              .isZero();
          assertThat(server.connection(client.peerId()).orElseThrow().streamCount())
              .as("server streams left open")
              .isZero();
        });
  }

  /** Sends {@code bytes} on a raw stream, half-closes, and returns everything read back. */
  private CompletableFuture<byte[]> raw(String protocolId, byte[] bytes) throws Exception {
    Stream stream =
        client.newStream(server.peerId(), List.of(protocolId)).get(10, TimeUnit.SECONDS);
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    stream.read(
        new StreamReader() {
          @Override
          public void onData(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            buffer.writeBytes(chunk);
          }

          @Override
          public void onEndOfStream() {
            received.complete(buffer.toByteArray());
            stream.close();
          }

          @Override
          public void onError(Throwable cause) {
            // a responder that did not read everything closes with RST after its answer
            received.complete(buffer.toByteArray());
          }
        });
    stream.write(ByteBuffer.wrap(bytes)).thenCompose(v -> stream.closeWrite());
    return received;
  }

  private static Response decodeResponse(byte[] bytes) {
    ResponseCode code = ResponseCode.fromWire(bytes[0] & 0xFF).orElseThrow();
    FrameDecoder decoder = new FrameDecoder(1 << 20);
    decoder.feed(ByteBuffer.wrap(bytes, 1, bytes.length - 1));
    return new Response(code, ((FrameDecoder.Frame) decoder.finish()).payload());
  }

  @Test
  void aRequestIsAnsweredWithThePayloadTheHandlerReturns() throws Exception {
    List<String> handlerThreads = new CopyOnWriteArrayList<>();
    serverReqResp.serve(
        ECHO,
        (peer, request) -> {
          handlerThreads.add(Thread.currentThread().getName());
          return CompletableFuture.completedFuture(Response.ok(request));
        });

    assertThat(new String(ok(ask(ECHO, "hello")), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(ok(clientReqResp.request(server.peerId(), ECHO, new byte[0]))).isEmpty();

    ReqRespMetrics sent = clientReqResp.metrics().get(ECHO.id());
    assertThat(sent.requestsSent()).isEqualTo(2);
    assertThat(sent.requestsSucceeded()).isEqualTo(2);
    assertThat(sent.bytesOut()).isPositive();
    Eventually.holds(
        () -> assertThat(serverReqResp.metrics().get(ECHO.id()).requestsServed()).isEqualTo(2));
    // handlers run on the framework's executor, never on an event loop
    assertThat(handlerThreads)
        .hasSize(2)
        .allSatisfy(name -> assertThat(name).contains("-handler-"));
    awaitNoStreamsLeftOpen();
  }

  @Test
  void aFullHandlerQueueAnswersResourceUnavailable() throws Exception {
    ReqResp tiny = runtime(ReqResp.start(server, serverClock::get, 1, 1));
    ReqRespProtocol busy =
        new ReqRespProtocol(
            "/meshwork/test/busy/1",
            1024,
            1024,
            Duration.ofSeconds(10),
            RateLimit.unlimited(),
            RateLimit.unlimited(),
            8);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    tiny.serve(
        busy,
        (peer, request) -> {
          started.incrementAndGet();
          try {
            release.await(); // holds the only handler thread (the test's doing, not a handler's)
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return CompletableFuture.completedFuture(Response.ok(request));
        });

    CompletableFuture<byte[]> running = ask(busy, "running");
    Eventually.holds(() -> assertThat(started.get()).isEqualTo(1));
    // one of the next two waits in the queue of one, the other finds it full
    CompletableFuture<byte[]> second = ask(busy, "second");
    CompletableFuture<byte[]> third = ask(busy, "third");
    Eventually.holds(() -> assertThat(second.isDone() || third.isDone()).isTrue());
    release.countDown();

    assertThat(new String(ok(running), StandardCharsets.UTF_8)).isEqualTo("running");
    CompletableFuture<byte[]> refused = second.isCompletedExceptionally() ? second : third;
    CompletableFuture<byte[]> queued = refused == second ? third : second;
    assertThat(failure(refused).code()).contains(ResponseCode.RESOURCE_UNAVAILABLE);
    assertThat(ok(queued)).isNotEmpty();
    assertThat(tiny.metrics().get(busy.id()).resourceUnavailable()).isEqualTo(1);
  }

  @Test
  void aOneMebibytePayloadMakesTheRoundTrip() throws Exception {
    serverReqResp.serve(ECHO, echo());
    byte[] payload = new byte[1024 * 1024];
    new Random(7).nextBytes(payload); // incompressible: the frame is over 1 MiB on the wire

    byte[] answer = ok(clientReqResp.request(server.peerId(), ECHO, payload));

    assertThat(Arrays.equals(answer, payload)).isTrue();
    assertThat(clientReqResp.metrics().get(ECHO.id()).bytesIn()).isGreaterThan(payload.length);
    awaitNoStreamsLeftOpen();
  }

  @Test
  void everyErrorCodeReachesTheClientAsARemoteErrorWithThatCodeAndReason() throws Exception {
    serverReqResp.serve(
        ECHO,
        (peer, request) ->
            CompletableFuture.completedFuture(
                Response.error(
                    ResponseCode.valueOf(new String(request, StandardCharsets.UTF_8)),
                    "because " + new String(request, StandardCharsets.UTF_8))));

    for (ResponseCode code : ResponseCode.values()) {
      if (code == ResponseCode.OK) {
        continue;
      }
      ReqRespException error = failure(ask(ECHO, code.name()));
      assertThat(error.kind()).isEqualTo(Kind.REMOTE_ERROR);
      assertThat(error.code()).contains(code);
      assertThat(error.getMessage())
          .contains(ECHO.id(), server.peerId().toString(), "because " + code.name());
    }
    awaitNoStreamsLeftOpen();
  }

  @Test
  void aHandlerThatThrowsGivesServerErrorAndTheServerKeepsServing() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    serverReqResp.serve(
        ECHO,
        (peer, request) -> {
          int call = calls.incrementAndGet();
          if (call == 1) {
            throw new IllegalStateException("boom");
          }
          if (call == 2) {
            return CompletableFuture.failedFuture(new IllegalStateException("late boom"));
          }
          return CompletableFuture.completedFuture(Response.ok(request));
        });

    ReqRespException thrown = failure(ask(ECHO, "one"));
    ReqRespException failed = failure(ask(ECHO, "two"));
    byte[] third = ok(ask(ECHO, "three"));

    assertThat(thrown.code()).contains(ResponseCode.SERVER_ERROR);
    assertThat(thrown.getMessage()).doesNotContain("boom"); // internals stay in the server's log
    assertThat(failed.code()).contains(ResponseCode.SERVER_ERROR);
    assertThat(new String(third, StandardCharsets.UTF_8)).isEqualTo("three");
    assertThat(serverReqResp.metrics().get(ECHO.id()).serverErrors()).isEqualTo(2);
  }

  @Test
  void aHandlerThatNeverCompletesTimesTheRequestOutAndBothSidesResetTheStream() throws Exception {
    ReqRespProtocol quick =
        new ReqRespProtocol(
            "/meshwork/test/quick/1",
            1024,
            1024,
            Duration.ofMillis(500),
            RateLimit.unlimited(),
            RateLimit.unlimited(),
            1);
    serverReqResp.serve(quick, (peer, request) -> new CompletableFuture<>());

    ReqRespException error = failure(ask(quick, "anyone there?"));

    assertThat(error.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(error.getMessage()).contains(quick.id(), server.peerId().toString(), "500 ms");
    assertThat(clientReqResp.metrics().get(quick.id()).timeouts()).isEqualTo(1);
    awaitNoStreamsLeftOpen();
    // the server's timeout gave the peer's only slot back
    assertThat(failure(ask(quick, "again")).kind()).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void aRequestThatNeverArrivesIsResetByTheServerAfterItsTimeout() throws Exception {
    ReqRespProtocol quick =
        new ReqRespProtocol(
            "/meshwork/test/quick/1",
            1024,
            1024,
            Duration.ofMillis(300),
            RateLimit.unlimited(),
            RateLimit.unlimited(),
            1);
    serverReqResp.serve(quick, echo());
    Stream silent =
        client.newStream(server.peerId(), List.of(quick.id())).get(10, TimeUnit.SECONDS);
    CompletableFuture<Throwable> reset = new CompletableFuture<>();
    silent.read(
        new StreamReader() {
          @Override
          public void onData(ByteBuffer data) {
            reset.completeExceptionally(new AssertionError("the server answered a silent stream"));
          }

          @Override
          public void onError(Throwable cause) {
            reset.complete(cause);
          }
        });
    silent.write(ByteBuffer.wrap(new byte[] {3})); // the start of a frame, never finished

    assertThat(reset.get(20, TimeUnit.SECONDS)).isNotNull();
    assertThat(serverReqResp.metrics().get(quick.id()).inboundTimeouts()).isEqualTo(1);
    assertThat(misbehaved).isEmpty();
    awaitNoStreamsLeftOpen();
  }

  @Test
  void aPeerOverItsRateLimitIsRefusedUntilItsBucketRefills() throws Exception {
    ReqRespProtocol limited =
        new ReqRespProtocol(
            "/meshwork/test/limited/1",
            1024,
            1024,
            Duration.ofSeconds(10),
            new RateLimit(2, Duration.ofSeconds(5)),
            RateLimit.unlimited(),
            4);
    serverReqResp.serve(limited, echo());

    ok(ask(limited, "1"));
    ok(ask(limited, "2"));
    ReqRespException refused = failure(ask(limited, "3"));
    assertThat(refused.kind()).isEqualTo(Kind.REMOTE_ERROR);
    assertThat(refused.code()).contains(ResponseCode.RATE_LIMITED);

    serverClock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(new String(ok(ask(limited, "4")), StandardCharsets.UTF_8)).isEqualTo("4");
    assertThat(failure(ask(limited, "5")).code()).contains(ResponseCode.RATE_LIMITED);
    assertThat(serverReqResp.metrics().get(limited.id()).rateLimited()).isEqualTo(2);
    assertThat(misbehaved).isEmpty();
    awaitNoStreamsLeftOpen();
  }

  @Test
  void aPeerOverItsConcurrencyLimitIsRefusedWhileItsRequestIsInFlight() throws Exception {
    ReqRespProtocol single =
        new ReqRespProtocol(
            "/meshwork/test/single/1",
            1024,
            1024,
            Duration.ofSeconds(10),
            RateLimit.unlimited(),
            RateLimit.unlimited(),
            1);
    CompletableFuture<Response> held = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    serverReqResp.serve(
        single,
        (peer, request) ->
            calls.incrementAndGet() == 1
                ? held
                : CompletableFuture.completedFuture(Response.ok(request)));

    // a client that believes the limit is 2 sends what this server refuses
    ReqRespProtocol eager =
        new ReqRespProtocol(
            single.id(), 1024, 1024, single.timeout(), single.perPeer(), single.perProtocol(), 2);

    CompletableFuture<byte[]> first = ask(single, "first");
    Eventually.holds(() -> assertThat(calls.get()).isEqualTo(1));
    assertThat(failure(ask(eager, "second")).code()).contains(ResponseCode.RATE_LIMITED);
    // a client that knows the limit does not even open a stream
    ReqRespException local = failure(ask(single, "third"));
    assertThat(local.kind()).isEqualTo(Kind.LOCAL_RATE_LIMITED);
    assertThat(local.code()).isEmpty();
    assertThat(serverReqResp.metrics().get(single.id()).rateLimited()).isEqualTo(1);

    held.complete(Response.ok("done".getBytes(StandardCharsets.UTF_8)));
    assertThat(new String(ok(first), StandardCharsets.UTF_8)).isEqualTo("done");
    assertThat(new String(ok(ask(single, "fourth")), StandardCharsets.UTF_8)).isEqualTo("fourth");
    awaitNoStreamsLeftOpen();
  }

  @Test
  void garbageOnARawStreamGetsInvalidRequestAndAMisbehaviourReportAndTheServerKeepsServing()
      throws Exception {
    serverReqResp.serve(ECHO, echo());

    // a frame of 4 bytes whose snappy block is nonsense
    byte[] garbage = {4, 10, 0x01 | (6 << 2), 0x7F, 0x7F};
    Response answer = decodeResponse(raw(ECHO.id(), garbage).get(20, TimeUnit.SECONDS));

    assertThat(answer.code()).isEqualTo(ResponseCode.INVALID_REQUEST);
    assertThat(answer.reason()).contains("snappy");
    Eventually.holds(
        () ->
            assertThat(misbehaved)
                .singleElement()
                .satisfies(
                    report -> {
                      assertThat(report.peerId()).isEqualTo(client.peerId());
                      assertThat(report.protocol()).isEqualTo(ECHO.id());
                    }));
    assertThat(new String(ok(ask(ECHO, "still there")), StandardCharsets.UTF_8))
        .isEqualTo("still there");
    awaitNoStreamsLeftOpen();
  }

  @Test
  void anOversizedRequestFrameIsRefusedBeforeItIsReadAndReported() throws Exception {
    ReqRespProtocol small =
        new ReqRespProtocol(
            "/meshwork/test/small/1",
            100,
            1024,
            Duration.ofSeconds(10),
            RateLimit.unlimited(),
            RateLimit.unlimited(),
            4);
    serverReqResp.serve(small, echo());

    // declares 64 KiB of compressed block, far over the bound for a 100-byte cap, and sends some
    byte[] oversized = new byte[4096];
    oversized[0] = (byte) 0x80;
    oversized[1] = (byte) 0x80;
    oversized[2] = 0x04;
    Response answer = decodeResponse(raw(small.id(), oversized).get(20, TimeUnit.SECONDS));

    assertThat(answer.code()).isEqualTo(ResponseCode.INVALID_REQUEST);
    assertThat(answer.reason()).contains("exceeds");
    Eventually.holds(() -> assertThat(misbehaved).hasSize(1));
    assertThat(serverReqResp.metrics().get(small.id()).invalidRequests()).isEqualTo(1);
    assertThat(new String(ok(ask(small, "fits")), StandardCharsets.UTF_8)).isEqualTo("fits");
    awaitNoStreamsLeftOpen();
  }

  @Test
  void aProtocolThePeerDoesNotServeFailsAsUnsupported() {
    ReqRespException error = failure(ask(ECHO, "hello?"));

    assertThat(error.kind()).isEqualTo(Kind.UNSUPPORTED_PROTOCOL);
    assertThat(error.getMessage()).contains(ECHO.id(), server.peerId().toString());
  }

  @Test
  void aResponseOverTheClientsCapFailsAsTooLargeAndResetsTheStream() throws Exception {
    serverReqResp.serve(
        ECHO, (peer, request) -> CompletableFuture.completedFuture(Response.ok(new byte[100_000])));
    ReqRespProtocol stingy =
        new ReqRespProtocol(
            ECHO.id(),
            ECHO.maxRequestBytes(),
            10_000,
            ECHO.timeout(),
            RateLimit.unlimited(),
            RateLimit.unlimited(),
            1);

    ReqRespException error = failure(ask(stingy, "big please"));

    assertThat(error.kind()).isEqualTo(Kind.RESPONSE_TOO_LARGE);
    assertThat(error.getMessage()).contains("100000", "10000");
    awaitNoStreamsLeftOpen();
  }

  @Test
  void closingFailsPendingRequestsWithClosed() throws Exception {
    serverReqResp.serve(ECHO, (peer, request) -> new CompletableFuture<>());
    CompletableFuture<byte[]> pending = ask(ECHO, "wait");
    Eventually.holds(
        () -> assertThat(serverReqResp.metrics().get(ECHO.id()).bytesIn()).isPositive());

    clientReqResp.close();

    assertThat(failure(pending).kind()).isEqualTo(Kind.CLOSED);
    assertThat(failure(ask(ECHO, "after")).kind()).isEqualTo(Kind.CLOSED);
    serverReqResp.close();
    assertThat(server.protocols()).doesNotContain(ECHO.id());
    awaitNoStreamsLeftOpen();
  }
}
