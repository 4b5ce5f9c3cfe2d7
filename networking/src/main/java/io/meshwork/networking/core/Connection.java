package io.meshwork.networking.core;

import io.meshwork.networking.crypto.PeerId;
import io.meshwork.networking.multiformats.Multiaddr;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A secured, multiplexed connection to one peer. Thread-safe. */
public interface Connection {
  /** A process-unique id, for logs and metrics. */
  String id();

  PeerId remotePeerId();

  Multiaddr remoteAddress();

  Multiaddr localAddress();

  Direction direction();

  /** The security protocol, e.g. {@code /noise}. */
  String security();

  /** The stream muxer, e.g. {@code /yamux/1.0.0}. */
  String muxer();

  /** Opens a stream and negotiates the first of {@code protocolIds} the peer supports. */
  CompletableFuture<Stream> newStream(List<String> protocolIds);

  int streamCount();

  boolean isOpen();

  CompletableFuture<Void> close();

  CompletableFuture<Void> closeFuture();
}
