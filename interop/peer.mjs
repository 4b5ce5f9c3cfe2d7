// A js-libp2p reference peer driven by JSON lines, for Meshwork's interop tests.
//
//   node peer.mjs [--listen MULTIADDR]... [--key-type ed25519|secp256k1] [--private-key BASE64]
//                 [--early-muxer on|off] [--dht]
//
// stdout carries only JSON lines: first {"event":"ready","peerId","addrs"}, then one answer per
// command ({"id", "ok": true, ...} or {"id", "ok": false, "error"}) and events
// ({"event":"connected"|"disconnected"|"identified","peerId"}, and gossipsub's
// {"event":"message","topic","from","dataBase64","messageIdHex"}). Logs go to stderr (DEBUG=libp2p:*
// for libp2p's own). Commands arrive on stdin, one JSON object a line: {"id", "cmd", ...args}.
// The peer stops when stdin closes or on {"cmd":"stop"}.
import { createInterface } from 'node:readline'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { dhtCommands } from './lib/dht.mjs'
import { createPeer } from './lib/node.mjs'
import { runPerf } from './lib/perf.mjs'

// Anything a library prints must not corrupt the JSON protocol on stdout.
console.log = console.info = console.debug = (...args) => console.error(...args)

const PING_PROTOCOL = '/ipfs/ping/1.0.0'
const PING_LENGTH = 32
const DEFAULT_TIMEOUT_MS = 60_000

const { values: opts } = parseArgs({
  options: {
    listen: { type: 'string', multiple: true, default: [] },
    'key-type': { type: 'string', default: 'ed25519' },
    'private-key': { type: 'string' },
    'early-muxer': { type: 'string', default: 'on' },
    dht: { type: 'boolean', default: false }
  }
})
if (!['ed25519', 'secp256k1'].includes(opts['key-type'])) usage(`unknown --key-type ${opts['key-type']}`)
if (!['on', 'off'].includes(opts['early-muxer'])) usage(`--early-muxer takes on or off, not ${opts['early-muxer']}`)

function usage (reason) {
  console.error(`peer.mjs: ${reason}`)
  process.exit(2)
}

function emit (obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

const node = await createPeer({
  listen: opts.listen,
  keyType: opts['key-type'],
  privateKey: opts['private-key'] != null ? Buffer.from(opts['private-key'], 'base64') : undefined,
  earlyMuxerNegotiation: opts['early-muxer'] === 'on',
  dht: opts.dht
})

// Results of the identify exchange libp2p runs on every new connection, by connection id.
// Entries leave with their connection, so the map is bounded by the open connections.
const identified = new Map()
node.addEventListener('peer:identify', (evt) => {
  identified.set(evt.detail.connection.id, evt.detail)
  emit({ event: 'identified', peerId: evt.detail.peerId.toString() })
})
node.addEventListener('connection:close', (evt) => identified.delete(evt.detail.id))
node.addEventListener('peer:connect', (evt) => emit({ event: 'connected', peerId: evt.detail.toString() }))
node.addEventListener('peer:disconnect', (evt) => emit({ event: 'disconnected', peerId: evt.detail.toString() }))
// Every validated gossipsub message on a subscribed topic; msgId is the id gossipsub computed
// (lib/node.mjs configures the spec's from ‖ seqno).
node.services.pubsub.addEventListener('gossipsub:message', (evt) => {
  // detail.msgId is gossipsub's string form of the id: base64 (its default msgIdToStrFn).
  const { msg, msgId } = evt.detail
  emit({
    event: 'message',
    topic: msg.topic,
    from: msg.type === 'signed' ? msg.from.toString() : null,
    dataBase64: Buffer.from(msg.data).toString('base64'),
    messageIdHex: Buffer.from(msgId, 'base64').toString('hex')
  })
})

function target (args) {
  if (typeof args.addr === 'string') return multiaddr(args.addr)
  if (typeof args.peerId === 'string') return peerIdFromString(args.peerId)
  throw new Error('needs "addr" (a multiaddr) or "peerId"')
}

function topicOf (args) {
  if (typeof args.topic !== 'string' || args.topic === '') throw new Error('needs "topic"')
  return args.topic
}

function describe (conn) {
  return {
    peerId: conn.remotePeer.toString(),
    remoteAddr: conn.remoteAddr.toString(),
    direction: conn.direction,
    muxer: conn.multiplexer ?? null,
    encryption: conn.encryption ?? null,
    status: conn.status
  }
}

/** An open connection to the peer the args name, dialling one if needed. */
async function connectionFor (args, signal) {
  if (typeof args.addr !== 'string' && typeof args.peerId === 'string') {
    const open = node.getConnections(peerIdFromString(args.peerId)).find((c) => c.status === 'open')
    if (open != null) return open
  }
  return node.dial(target(args), { signal })
}

function identifyAnswer (result, source) {
  const spr = result.signedPeerRecord
  return {
    peerId: result.peerId.toString(),
    agentVersion: result.agentVersion ?? null,
    protocolVersion: result.protocolVersion ?? null,
    protocols: [...result.protocols],
    listenAddrs: result.listenAddrs.map(String),
    observedAddr: result.observedAddr?.toString() ?? null,
    publicKeyType: result.publicKey != null ? publicKeyFromProtobuf(result.publicKey).type : null,
    // seq is a u64: a decimal string keeps it exact.
    signedPeerRecord: spr != null ? { seq: spr.seq.toString(), addrs: spr.addresses.map(String) } : null,
    source
  }
}

/**
 * Pings over one stream, as the spec allows ("the dialing peer MAY repeat the process ... on the
 * same stream"), timing each 32-byte round trip.
 */
async function pingOnOneStream (args, signal) {
  const count = args.count ?? 1
  const stream = await node.dialProtocol(target(args), PING_PROTOCOL, { signal })
  try {
    const rtts = []
    const iterator = stream[Symbol.asyncIterator]()
    let pending = new Uint8Array(0)
    for (let i = 0; i < count; i++) {
      const payload = crypto.getRandomValues(new Uint8Array(PING_LENGTH))
      const start = performance.now()
      if (!stream.send(payload)) await stream.onDrain({ signal })
      while (pending.byteLength < PING_LENGTH) {
        const { value, done } = await iterator.next()
        if (done) throw new Error(`ping: stream ended after ${i} pongs`)
        pending = Buffer.concat([pending, value.subarray()])
      }
      rtts.push(performance.now() - start)
      if (!Buffer.from(pending.subarray(0, PING_LENGTH)).equals(payload)) {
        throw new Error(`ping ${i}: the pong differs from the payload`)
      }
      pending = pending.subarray(PING_LENGTH)
    }
    await stream.close({ signal })
    return rtts
  } catch (err) {
    stream.abort(err)
    throw err
  }
}

const commands = {
  async dial (args, signal) {
    return describe(await node.dial(target(args), { signal }))
  },
  async ping (args, signal) {
    if (args.reference === true) {
      // @libp2p/ping's own client: one stream per ping, whole milliseconds.
      const rttsMs = []
      for (let i = 0; i < (args.count ?? 1); i++) rttsMs.push(await node.services.ping.ping(target(args), { signal }))
      return { rttsMs }
    }
    return { rttsMs: await pingOnOneStream(args, signal) }
  },
  async identify (args, signal) {
    const conn = await connectionFor(args, signal)
    const automatic = identified.get(conn.id)
    if (automatic != null && args.fresh !== true) return identifyAnswer(automatic, 'automatic')
    return identifyAnswer(await node.services.identify.identify(conn, { signal }), 'explicit')
  },
  async perf (args, signal) {
    return runPerf(node, target(args), args.upload ?? 0, args.download ?? 0, { signal })
  },
  async connections () {
    return { connections: node.getConnections().map(describe) }
  },
  async hangup (args, signal) {
    await node.hangUp(target(args), { signal })
    return {}
  },
  async subscribe (args) {
    node.services.pubsub.subscribe(topicOf(args))
    return {}
  },
  async unsubscribe (args) {
    node.services.pubsub.unsubscribe(topicOf(args))
    return {}
  },
  async publish (args) {
    if (typeof args.dataBase64 !== 'string') throw new Error('needs "dataBase64"')
    const data = Buffer.from(args.dataBase64, 'base64')
    // @libp2p/gossipsub's PublishResult has no message id; receivers report it in their events.
    const result = await node.services.pubsub.publish(topicOf(args), data)
    return { recipients: result.recipients.map(String) }
  },
  async meshPeers (args) {
    return { peers: node.services.pubsub.getMeshPeers(topicOf(args)).map(String) }
  },
  async stop () {
    setImmediate(shutdown)
    return {}
  },
  // dhtAddPeer, dhtRoutingTable, dhtBootstrap, dhtFindPeer, dhtGetClosestPeers, dhtProvide,
  // dhtFindProviders, dhtPut, dhtGet: see lib/dht.mjs
  ...dhtCommands(node)
}

async function run (line) {
  let request
  try {
    request = JSON.parse(line)
  } catch (err) {
    emit({ event: 'error', error: `not JSON: ${line.slice(0, 200)}` })
    return
  }
  const { id, cmd, timeoutMs, ...args } = request
  const command = Object.hasOwn(commands, cmd) ? commands[cmd] : null
  if (command == null) {
    emit({ id, ok: false, error: `unknown command ${JSON.stringify(cmd)}` })
    return
  }
  try {
    const answer = await command(args, AbortSignal.timeout(timeoutMs ?? DEFAULT_TIMEOUT_MS))
    emit({ id, ok: true, ...answer })
  } catch (err) {
    console.error(`command ${cmd} (id ${id}) failed:`, err)
    emit({ id, ok: false, error: `${err.name ?? 'Error'}: ${err.message}` })
  }
}

let stopping = false
async function shutdown () {
  if (stopping) return
  stopping = true
  const forced = setTimeout(() => process.exit(1), 5000)
  forced.unref()
  try {
    await node.stop()
  } catch (err) {
    console.error('stop failed:', err)
  }
  process.exit(0)
}

process.on('unhandledRejection', (err) => console.error('unhandled rejection:', err))

emit({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
lines.on('line', (line) => { if (line.trim() !== '') run(line) })
lines.on('close', shutdown)
