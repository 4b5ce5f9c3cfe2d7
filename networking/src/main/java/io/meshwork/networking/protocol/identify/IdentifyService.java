package io.meshwork.networking.protocol.identify;

import io.meshwork.networking.core.Connection;
import io.meshwork.networking.core.Host;
import io.meshwork.networking.core.NetworkEvent;
import io.meshwork.networking.core.Stream;
import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.crypto.PeerRecord;
import io.meshwork.networking.crypto.PrivateKey;
import io.meshwork.networking.multiformats.Multiaddr;
import io.meshwork.networking.protocol.DelimitedReader;
import io.meshwork.networking.protocol.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identifies every peer we connect to, answers peers that identify us, and pushes our protocols to
 * connected peers when they change. Results go to the peer store and out as {@link
 * NetworkEvent.PeerIdentified}.
 */
public final class IdentifyService {
  public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
  public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";

  /** rust-libp2p caps identify at 4 KiB; js at 8 KiB. We accept up to 64 KiB from others. */
  static final int MAX_MESSAGE_SIZE = 64 * 1024;

  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(IdentifyService.class);

  private final Host host;
  private final PrivateKey identity;
  private final String agentVersion;
  private final Consumer<NetworkEvent> publisher;
  private final AtomicLong recordSeq = new AtomicLong(System.currentTimeMillis());
  private volatile SignedRecord signedRecord;

  public IdentifyService(
      Host host, PrivateKey identity, String agentVersion, Consumer<NetworkEvent> publisher) {
    this.host = host;
    this.identity = identity;
    this.agentVersion = agentVersion;
    this.publisher = publisher;
  }

  /** Serves identify and push, and identifies each new connection. */
  public void install() {
    host.setStreamHandler(PROTOCOL_ID, this::answer);
    host.setStreamHandler(PUSH_PROTOCOL_ID, this::receivePush);
    host.subscribe(
        event -> {
          if (event instanceof NetworkEvent.PeerConnected connected) {
            identify(connected.connection())
                .exceptionally(
                    e -> {
                      LOG.debug("identify of {} failed: {}", connected.peerId(), e.toString());
                      return null;
                    });
          }
        });
  }

  private byte[] ourMessage(Connection connection) {
    List<Multiaddr> addresses = host.listenAddresses();
    SignedRecord record = signedRecord;
    if (record == null || !record.addresses().equals(addresses)) {
      // Signing is costly (secp256k1 especially): sign once per change of addresses, not per ask.
      // A changed record needs a higher seq, or peers keep the old one (RFC 0003).
      long seq = record == null ? recordSeq.get() : recordSeq.incrementAndGet();
      record =
          new SignedRecord(
              addresses,
              seq,
              new PeerRecord(host.peerId(), seq, addresses).seal(identity).marshal());
      signedRecord = record;
    }
    byte[] message =
        IdentifyCodec.encode(
            identity,
            agentVersion,
            addresses,
            List.copyOf(host.protocols()),
            Optional.of(connection.remoteAddress()),
            record.envelope());
    if (message.length > IdentifyCodec.MAX_SENT_SIZE) {
      LOG.warn(
          "our identify message is {} bytes; rust-libp2p drops those over {}",
          message.length,
          IdentifyCodec.MAX_SENT_SIZE);
    }
    return message;
  }

  private record SignedRecord(List<Multiaddr> addresses, long seq, byte[] envelope) {}

  private void answer(Stream stream) {
    byte[] framed = DelimitedReader.frame(ourMessage(stream.connection()));
    stream
        .write(ByteBuffer.wrap(framed))
        .thenCompose(v -> stream.close())
        .exceptionally(
            e -> {
              stream.reset();
              return null;
            });
  }

  /** Asks the peer on {@code connection} who it is. */
  public CompletableFuture<IdentifyInfo> identify(Connection connection) {
    PeerId peer = connection.remotePeerId();
    return connection
        .newStream(List.of(PROTOCOL_ID))
        .thenCompose(stream -> readOne(stream, peer))
        .thenApply(
            info -> {
              record(info, true);
              return info;
            });
  }

  /** Connects to {@code peer} if needed and identifies it. */
  public CompletableFuture<IdentifyInfo> identify(PeerId peer) {
    return host.connect(peer).thenCompose(this::identify);
  }

  /** Reads one message and the end of the stream within {@link #TIMEOUT}; resets on failure. */
  private CompletableFuture<IdentifyInfo> readOne(Stream stream, PeerId peer) {
    CompletableFuture<IdentifyInfo> result = new CompletableFuture<>();
    result
        .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (info, e) -> {
              if (e != null) {
                stream.reset();
              }
            });
    List<byte[]> messages = new ArrayList<>(1);
    stream.read(
        new DelimitedReader(
            MAX_MESSAGE_SIZE,
            new DelimitedReader.Handler() {
              @Override
              public void onMessage(byte[] message) {
                if (!messages.isEmpty()) {
                  onError(new ProtocolViolationException("more than one identify message"));
                  return;
                }
                messages.add(message);
              }

              @Override
              public void onEnd() {
                if (messages.isEmpty()) {
                  result.completeExceptionally(
                      new ProtocolViolationException("identify stream closed without a message"));
                  return;
                }
                try {
                  result.complete(IdentifyCodec.decode(peer, messages.get(0)));
                } catch (ProtocolViolationException e) {
                  result.completeExceptionally(e);
                }
                stream.close();
              }

              @Override
              public void onError(Throwable cause) {
                result.completeExceptionally(cause);
                stream.reset();
              }
            }));
    return result;
  }

  private void receivePush(Stream stream) {
    readOne(stream, stream.remotePeerId())
        .whenComplete(
            (info, e) -> {
              if (e != null) {
                LOG.debug(
                    "identify push from {} rejected: {}", stream.remotePeerId(), e.toString());
                stream.reset();
              } else {
                record(info, false);
              }
            });
  }

  private void record(IdentifyInfo info, boolean complete) {
    var store = host.peerStore();
    info.publicKey().ifPresent(k -> store.putPublicKey(info.peerId(), k));
    if (!info.listenAddresses().isEmpty()) {
      store.addAddresses(info.peerId(), info.listenAddresses());
    }
    if (complete || !info.protocols().isEmpty()) {
      store.setProtocols(info.peerId(), info.protocols());
    }
    if (!info.agentVersion().isEmpty()) {
      store.setAgentVersion(info.peerId(), info.agentVersion());
    }
    // Verified by the codec; kept (if newer) so peer exchange can pass it on (RFC 0003).
    info.signedPeerRecord().ifPresent(r -> storeSignedRecord(info.peerId(), r));
    publisher.accept(
        new NetworkEvent.PeerIdentified(
            info.peerId(),
            info.agentVersion(),
            info.protocolVersion(),
            info.protocols(),
            info.listenAddresses(),
            info.observedAddress()));
  }

  private void storeSignedRecord(PeerId peer, byte[] envelope) {
    try {
      host.peerStore().putSignedPeerRecord(peer, envelope);
    } catch (IllegalArgumentException e) {
      LOG.debug("not keeping the signed peer record of {}: {}", peer, e.getMessage());
    }
  }

  /** Tells every connected peer our current protocols and addresses. */
  public void pushToConnectedPeers() {
    for (Connection connection : host.connections()) {
      byte[] framed = DelimitedReader.frame(ourMessage(connection));
      connection
          .newStream(List.of(PUSH_PROTOCOL_ID))
          .thenCompose(s -> s.write(ByteBuffer.wrap(framed)).thenCompose(v -> s.close()))
          .exceptionally(
              e -> {
                LOG.debug(
                    "identify push to {} failed: {}", connection.remotePeerId(), e.toString());
                return null;
              });
    }
  }
}
