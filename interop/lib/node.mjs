// Builds the js-libp2p reference peer used by peer.mjs and perf-bench.mjs.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair, privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { lanDht } from './dht.mjs'
import { handlePerf, PERF_PROTOCOL } from './perf.mjs'

/**
 * @libp2p/noise always offers its muxers in the handshake's stream_muxers extension and, when the
 * remote offers any, adopts one instead of running multistream-select for the muxer. It only skips
 * this when the upgrader passes skipStreamMuxerNegotiation, which the TCP transport never does; this
 * wrapper passes it, so the peer then offers an empty list and negotiates the muxer with
 * multistream-select.
 */
function noiseWithoutEarlyMuxerNegotiation () {
  const factory = noise()
  return (components) => {
    const inner = factory(components)
    return {
      protocol: inner.protocol,
      [Symbol.toStringTag]: inner[Symbol.toStringTag],
      secureInbound: (conn, options) => inner.secureInbound(conn, { ...options, skipStreamMuxerNegotiation: true }),
      secureOutbound: (conn, options) => inner.secureOutbound(conn, { ...options, skipStreamMuxerNegotiation: true })
    }
  }
}

/**
 * The gossipsub message id go-libp2p and the pubsub spec use by default: the `from` field (the
 * author's peer id bytes) followed by the 8-byte big-endian `seqno`. @libp2p/gossipsub's own
 * StrictSign default uses the author's protobuf public key instead of its peer id (no identity
 * multihash prefix), so its ids differ from go's and Meshwork's; configure the spec's function.
 */
export function fromAndSeqnoMessageId (msg) {
  if (msg.type !== 'signed' || msg.sequenceNumber == null) throw new Error('expected a signed message with a seqno')
  const from = msg.from.toMultihash().bytes
  const id = new Uint8Array(from.byteLength + 8)
  id.set(from, 0)
  new DataView(id.buffer).setBigUint64(from.byteLength, BigInt.asUintN(64, msg.sequenceNumber))
  return id
}

/**
 * @param {object} options
 * @param {string[]} options.listen multiaddrs to listen on (may be empty)
 * @param {'ed25519'|'secp256k1'} options.keyType identity key type, when no privateKey is given
 * @param {Uint8Array} [options.privateKey] protobuf-encoded libp2p private key
 * @param {boolean} options.earlyMuxerNegotiation offer/accept muxers inside the Noise handshake
 * @param {boolean} [options.dht] run @libp2p/kad-dht as a LAN server (lib/dht.mjs), service `dht`
 */
export async function createPeer ({ listen = [], keyType = 'ed25519', privateKey, earlyMuxerNegotiation = true, dht = false }) {
  const key = privateKey != null
    ? privateKeyFromProtobuf(privateKey)
    : await generateKeyPair(keyType === 'secp256k1' ? 'secp256k1' : 'Ed25519')
  const node = await createLibp2p({
    privateKey: key,
    addresses: { listen },
    transports: [tcp()],
    connectionEncrypters: [earlyMuxerNegotiation ? noise() : noiseWithoutEarlyMuxerNegotiation()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        globalSignaturePolicy: 'StrictSign',
        msgIdFn: fromAndSeqnoMessageId,
        allowPublishToZeroTopicPeers: true,
        emitSelf: false
      }),
      ...(dht ? { dht: lanDht() } : {})
    }
  })
  await node.handle(PERF_PROTOCOL, handlePerf, { maxInboundStreams: 16, maxOutboundStreams: 16 })
  return node
}
