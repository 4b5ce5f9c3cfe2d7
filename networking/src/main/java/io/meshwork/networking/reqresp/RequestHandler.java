package io.meshwork.networking.reqresp;

import io.meshwork.networking.crypto.PeerId;
import java.util.concurrent.CompletableFuture;

/** Answers the requests of one {@link ReqRespProtocol}, installed with {@link ReqResp#serve}. */
@FunctionalInterface
public interface RequestHandler {
  /**
   * Called off the event loop (a bounded executor of the framework); may complete later.
   *
   * <p>{@code request} is the decoded payload, at most the protocol's {@code maxRequestBytes}; it
   * is the handler's to keep. Throwing or failing the future answers {@code SERVER_ERROR} (logged
   * here, the reason sent is generic); a future that does not complete within the protocol's
   * timeout resets the stream. Blocking ties up one of the framework's few handler threads.
   */
  CompletableFuture<Response> handle(PeerId peer, byte[] request);
}
