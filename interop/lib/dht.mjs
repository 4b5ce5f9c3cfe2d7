// The js-libp2p Kademlia DHT (@libp2p/kad-dht) of the reference peer, and peer.mjs's dht* commands.
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as Digest from 'multiformats/hashes/digest'

export const KAD_PROTOCOL = '/ipfs/kad/1.0.0'

/**
 * A LAN DHT for loopback tests. @libp2p/kad-dht's defaults suit the public internet and would leave
 * a 127.0.0.1 test network empty:
 * - clientMode unset means client until the node has a public address: force server mode;
 * - peerInfoMapper defaults to removePrivateAddressesMapper, which drops 127.0.0.1 from every peer
 *   it learns or tells, and a peer without addresses is never added to the routing table: keep all;
 * - queries wait for the first self-query to find a peer, so the first command could stall until
 *   a peer connects: let them run (they simply find nothing without peers).
 */
export function lanDht () {
  return kadDHT({
    protocol: KAD_PROTOCOL,
    clientMode: false,
    peerInfoMapper: passthroughMapper,
    allowQueryWithZeroPeers: true
  })
}

/** A CID from args.cid (a CID string) or args.keyBase64 (the DHT key: a multihash's bytes). */
function cidOf (args) {
  if (typeof args.cid === 'string') return CID.parse(args.cid)
  if (typeof args.keyBase64 === 'string') {
    // Provider records are keyed by the multihash alone (kad-dht spec, "Content provider
    // advertisement and discovery"); any CID wrapping it has the same DHT key.
    return CID.createV1(raw.code, Digest.decode(Buffer.from(args.keyBase64, 'base64')))
  }
  throw new Error('needs "cid" or "keyBase64" (a multihash)')
}

function keyOf (args) {
  if (typeof args.keyBase64 === 'string') return Buffer.from(args.keyBase64, 'base64')
  if (typeof args.peerId === 'string') return peerIdFromString(args.peerId).toMultihash().bytes
  throw new Error('needs "keyBase64" or "peerId"')
}

function peerInfo ({ id, multiaddrs }) {
  return { peerId: id.toString(), addrs: [...new Set(multiaddrs.map(String))] }
}

function routingTablePeers (dht) {
  const table = dht.routingTable.kb
  return table == null ? [] : [...table.toIterable()].map((contact) => contact.peerId.toString())
}

/** Resolves once `peerId` is in the routing table (it may already be). */
function untilInRoutingTable (dht, peerId, signal) {
  return new Promise((resolve, reject) => {
    const done = () => {
      dht.routingTable.removeEventListener('peer:add', onAdd)
      signal.removeEventListener('abort', onAbort)
    }
    const onAdd = () => {
      if (routingTablePeers(dht).includes(peerId)) {
        done()
        resolve()
      }
    }
    const onAbort = () => {
      done()
      reject(new Error(`${peerId} did not enter the routing table: ${signal.reason?.message}`))
    }
    dht.routingTable.addEventListener('peer:add', onAdd)
    signal.addEventListener('abort', onAbort)
    onAdd()
  })
}

/** The dht* commands of peer.mjs, for a node built with lanDht() as its `dht` service. */
export function dhtCommands (node) {
  const dht = () => {
    if (node.services.dht == null) throw new Error('the DHT is off: start the peer with --dht')
    return node.services.dht
  }
  return {
    /**
     * Dials args.addr and waits until identify has told the DHT the peer serves kad and the
     * routing table took it in (after its ping check).
     */
    async dhtAddPeer (args, signal) {
      if (typeof args.addr !== 'string') throw new Error('needs "addr"')
      const conn = await node.dial(multiaddr(args.addr), { signal })
      const peerId = conn.remotePeer.toString()
      await untilInRoutingTable(dht(), peerId, signal)
      return { peerId }
    },
    async dhtRoutingTable () {
      return { peers: routingTablePeers(dht()) }
    },
    /**
     * A lookup of our own id (kad-dht spec, "Bootstrap process"); answers the routing table after.
     * (refreshRoutingTable() would not do: it returns before its lookups end.)
     */
    async dhtBootstrap (args, signal) {
      for await (const event of dht().getClosestPeers(node.peerId.toMultihash().bytes, { signal })) {
        if (event.name === 'QUERY_ERROR') console.error('dhtBootstrap:', event.error)
      }
      return { peers: routingTablePeers(dht()) }
    },
    /** An iterative FIND_NODE through the network (never the local peer store). */
    async dhtFindPeer (args, signal) {
      if (typeof args.peerId !== 'string') throw new Error('needs "peerId"')
      const target = peerIdFromString(args.peerId)
      for await (const event of dht().findPeer(target, { signal, useCache: false })) {
        if (event.name === 'FINAL_PEER' && event.peer.id.equals(target)) {
          return { ...peerInfo(event.peer), from: event.from.toString() }
        }
      }
      throw new Error(`${args.peerId} was not found`)
    },
    async dhtGetClosestPeers (args, signal) {
      const peers = []
      for await (const event of dht().getClosestPeers(keyOf(args), { signal })) {
        if (event.name === 'FINAL_PEER') peers.push(peerInfo(event.peer))
      }
      return { peers }
    },
    /** Announces we provide the CID; answers the peers that took the provider record. */
    async dhtProvide (args, signal) {
      const acceptedBy = []
      for await (const event of dht().provide(cidOf(args), { signal })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'ADD_PROVIDER') {
          acceptedBy.push(event.from.toString())
        }
      }
      return { acceptedBy }
    },
    /** Providers of the CID, until `count` (default 1) distinct ones are found or the query ends. */
    async dhtFindProviders (args, signal) {
      const wanted = args.count ?? 1
      const providers = new Map()
      for await (const event of dht().findProviders(cidOf(args), { signal })) {
        if (event.name !== 'PROVIDER') continue
        for (const provider of event.providers) providers.set(provider.id.toString(), peerInfo(provider))
        if (providers.size >= wanted) break
      }
      return { providers: [...providers.values()] }
    },
    /** Stores a record (its namespace needs a js validator, e.g. /pk/) on the closest peers. */
    async dhtPut (args, signal) {
      if (typeof args.valueBase64 !== 'string') throw new Error('needs "valueBase64"')
      const storedBy = []
      for await (const event of dht().put(keyOf(args), Buffer.from(args.valueBase64, 'base64'), { signal })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE') storedBy.push(event.from.toString())
      }
      return { storedBy }
    },
    /** The best record for the key, or an error if none is found. */
    async dhtGet (args, signal) {
      let best = null
      for await (const event of dht().get(keyOf(args), { signal })) {
        if (event.name === 'VALUE') best = { valueBase64: Buffer.from(event.value).toString('base64'), from: event.from.toString() }
      }
      if (best == null) throw new Error('no value found')
      return best
    }
  }
}
