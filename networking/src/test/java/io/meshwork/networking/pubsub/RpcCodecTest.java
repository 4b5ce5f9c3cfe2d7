package io.meshwork.networking.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.meshwork.networking.multiformats.Varint;
import io.meshwork.networking.pubsub.pb.GossipsubProto;
import io.meshwork.networking.pubsub.pb.GossipsubProto.RPC;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RpcCodecTest {
  private final RpcCodec codec = new RpcCodec(1 << 20);

  static RPC everyKindOfRpc() {
    ByteString id = ByteString.copyFrom(new byte[] {1, 2, 3});
    return RPC.newBuilder()
        .addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid("a"))
        .addPublish(
            GossipsubProto.Message.newBuilder()
                .setFrom(ByteString.copyFrom(new byte[] {0, 1, 9}))
                .setData(ByteString.copyFromUtf8("data"))
                .setSeqno(ByteString.copyFrom(new byte[8]))
                .setTopic("a")
                .setSignature(ByteString.copyFrom(new byte[64])))
        .setControl(
            GossipsubProto.ControlMessage.newBuilder()
                .addIhave(
                    GossipsubProto.ControlIHave.newBuilder().setTopicID("a").addMessageIDs(id))
                .addIwant(GossipsubProto.ControlIWant.newBuilder().addMessageIDs(id))
                .addGraft(GossipsubProto.ControlGraft.newBuilder().setTopicID("a"))
                .addPrune(
                    GossipsubProto.ControlPrune.newBuilder()
                        .setTopicID("a")
                        .setBackoff(60)
                        .addPeers(
                            GossipsubProto.PeerInfo.newBuilder()
                                .setPeerID(id)
                                .setSignedPeerRecord(id)))
                .addIdontwant(GossipsubProto.ControlIDontWant.newBuilder().addMessageIDs(id)))
        .build();
  }

  @Test
  void roundTripsEveryControlMessage() {
    RPC rpc = everyKindOfRpc();
    assertThat(codec.decode(codec.encode(rpc))).isEqualTo(rpc);
  }

  @Test
  void usesTheWireFieldNumbersOfTheSpec() {
    // RPC.control is field 3 (tag 0x1a); ControlMessage.idontwant is field 5 (tag 0x2a).
    RPC rpc =
        RPC.newBuilder()
            .setControl(
                GossipsubProto.ControlMessage.newBuilder()
                    .addIdontwant(
                        GossipsubProto.ControlIDontWant.newBuilder()
                            .addMessageIDs(ByteString.copyFrom(new byte[] {7}))))
            .build();
    assertThat(codec.encode(rpc)).containsExactly(0x1a, 5, 0x2a, 3, 0x0a, 1, 7);
  }

  @Test
  void writesAVarintLengthPrefixIntoABufferTheCallerOwns() {
    RPC rpc = everyKindOfRpc();
    ByteBuf buf = codec.encodeDelimited(rpc, ByteBufAllocator.DEFAULT);
    try {
      assertThat(Varint.read(buf)).isEqualTo(rpc.getSerializedSize());
      assertThat(codec.decode(buf)).isEqualTo(rpc);
    } finally {
      buf.release();
    }
  }

  @Test
  void ignoresUnknownFields() {
    byte[] known =
        codec.encode(
            RPC.newBuilder().addSubscriptions(RPC.SubOpts.newBuilder().setTopicid("a")).build());
    byte[] withUnknown = new byte[known.length + 2];
    System.arraycopy(known, 0, withUnknown, 0, known.length);
    withUnknown[known.length] = (byte) 0x78; // field 15, varint
    withUnknown[known.length + 1] = 1;
    assertThat(codec.decode(withUnknown).getSubscriptions(0).getTopicid()).isEqualTo("a");
  }

  @Test
  void rejectsAnOversizedRpc() {
    RpcCodec small = new RpcCodec(16);
    assertThatThrownBy(() -> small.decode(new byte[17]))
        .isInstanceOf(RpcFormatException.class)
        .hasMessageContaining("exceeds the limit of 16");
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[17]);
    try {
      assertThatThrownBy(() -> small.decode(buf)).isInstanceOf(RpcFormatException.class);
    } finally {
      buf.release();
    }
    assertThatThrownBy(() -> small.encode(everyKindOfRpc()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsMalformedBytes() {
    assertThatThrownBy(() -> codec.decode(new byte[] {0x0a, 0x7f, 1}))
        .isInstanceOf(RpcFormatException.class)
        .hasMessageStartingWith("malformed RPC");
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xff, (byte) 0xff}))
        .isInstanceOf(RpcFormatException.class);
  }
}
