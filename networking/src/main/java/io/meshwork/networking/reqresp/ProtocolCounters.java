package io.meshwork.networking.reqresp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link ReqRespMetrics}; updated from any thread. */
final class ProtocolCounters {
  final LongAdder requestsSent = new LongAdder();
  final LongAdder requestsSucceeded = new LongAdder();
  final LongAdder requestsServed = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  final LongAdder invalidRequests = new LongAdder();
  final LongAdder serverErrors = new LongAdder();
  final LongAdder resourceUnavailable = new LongAdder();
  final LongAdder inboundTimeouts = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  private final EnumMap<ReqRespException.Kind, LongAdder> failures =
      new EnumMap<>(ReqRespException.Kind.class);

  ProtocolCounters() {
    for (ReqRespException.Kind kind : ReqRespException.Kind.values()) {
      failures.put(kind, new LongAdder());
    }
  }

  void failed(ReqRespException.Kind kind) {
    failures.get(kind).increment();
  }

  ReqRespMetrics snapshot() {
    Map<ReqRespException.Kind, Long> failed = new EnumMap<>(ReqRespException.Kind.class);
    failures.forEach((kind, count) -> failed.put(kind, count.sum()));
    return new ReqRespMetrics(
        requestsSent.sum(),
        requestsSucceeded.sum(),
        requestsServed.sum(),
        failed,
        rateLimited.sum(),
        invalidRequests.sum(),
        serverErrors.sum(),
        resourceUnavailable.sum(),
        inboundTimeouts.sum(),
        bytesIn.sum(),
        bytesOut.sum());
  }
}
