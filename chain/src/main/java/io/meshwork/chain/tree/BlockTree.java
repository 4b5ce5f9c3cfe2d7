package io.meshwork.chain.tree;

import io.meshwork.chain.consensus.HeaderLookup;
import io.meshwork.chain.consensus.ProofOfWork;
import io.meshwork.chain.model.BlockHeader;
import io.meshwork.chain.model.Hash;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every known header that connects to genesis, with cumulative work. Not thread-safe: owned by the
 * chain's import thread. Grows with the chain (about 300 bytes per header); side branches can only
 * be added with valid proof of work, which is what bounds them.
 */
public final class BlockTree implements HeaderLookup {
  /** A header in the tree. {@code seenOrder} increases with arrival, for first-seen tie breaks. */
  public record Node(BlockHeader header, BigInteger cumulativeWork, long seenOrder) {
    public Hash hash() {
      return header.hash();
    }

    public long height() {
      return header.height();
    }
  }

  private final Map<Hash, Node> nodes = new HashMap<>();
  private final Map<Hash, List<Hash>> children = new HashMap<>();
  private final Node genesis;
  private long nextOrder;

  public BlockTree(BlockHeader genesisHeader) {
    genesis =
        new Node(genesisHeader, ProofOfWork.work(genesisHeader.difficultyBits()), nextOrder++);
    nodes.put(genesis.hash(), genesis);
  }

  public Node genesis() {
    return genesis;
  }

  /** Adds a header whose parent is in the tree. */
  public Node add(BlockHeader header) {
    Node parent = nodes.get(header.parent());
    if (parent == null) {
      throw new IllegalArgumentException("parent of " + header.hash() + " not in the tree");
    }
    Node existing = nodes.get(header.hash());
    if (existing != null) {
      return existing;
    }
    Node node =
        new Node(
            header,
            parent.cumulativeWork().add(ProofOfWork.work(header.difficultyBits())),
            nextOrder++);
    nodes.put(node.hash(), node);
    children.computeIfAbsent(parent.hash(), h -> new ArrayList<>(1)).add(node.hash());
    return node;
  }

  public Optional<Node> node(Hash hash) {
    return Optional.ofNullable(nodes.get(hash));
  }

  public boolean contains(Hash hash) {
    return nodes.containsKey(hash);
  }

  @Override
  public Optional<BlockHeader> header(Hash hash) {
    return node(hash).map(Node::header);
  }

  public Node parent(Node node) {
    Node parent = nodes.get(node.header().parent());
    if (parent == null) {
      throw new IllegalArgumentException(node.hash() + " has no parent in the tree");
    }
    return parent;
  }

  /** The deepest node that is an ancestor of (or equal to) both. */
  public Node commonAncestor(Node a, Node b) {
    while (a.height() > b.height()) {
      a = parent(a);
    }
    while (b.height() > a.height()) {
      b = parent(b);
    }
    while (!a.hash().equals(b.hash())) {
      a = parent(a);
      b = parent(b);
    }
    return a;
  }

  /** The nodes after {@code ancestor} up to and including {@code tip}, lowest first. */
  public List<Node> path(Node ancestor, Node tip) {
    Deque<Node> path = new ArrayDeque<>();
    for (Node n = tip; !n.hash().equals(ancestor.hash()); n = parent(n)) {
      path.addFirst(n);
    }
    return new ArrayList<>(path);
  }

  /** Removes a node and all its descendants; returns their hashes. Genesis cannot be removed. */
  public List<Hash> removeWithDescendants(Hash hash) {
    if (hash.equals(genesis.hash()) || !nodes.containsKey(hash)) {
      return List.of();
    }
    List<Hash> removed = new ArrayList<>();
    Deque<Hash> pending = new ArrayDeque<>(List.of(hash));
    Node root = nodes.get(hash);
    List<Hash> siblings = children.get(root.header().parent());
    if (siblings != null) {
      siblings.remove(hash);
    }
    while (!pending.isEmpty()) {
      Hash next = pending.poll();
      nodes.remove(next);
      removed.add(next);
      pending.addAll(children.getOrDefault(next, List.of()));
      children.remove(next);
    }
    return removed;
  }

  /**
   * Removes every side branch that forks off {@code isCanonical} below {@code horizon}: adopting
   * one would undo more blocks than allowed, so it can never become canonical. Returns the hashes
   * removed. Keeps the tree at the canonical chain plus recent side branches.
   */
  public List<Hash> pruneForksBelow(long horizon, java.util.function.Predicate<Node> isCanonical) {
    List<Hash> roots = new ArrayList<>();
    for (Node node : nodes.values()) {
      if (node.height() > 0 && !isCanonical.test(node)) {
        Node parent = nodes.get(node.header().parent());
        if (parent != null && parent.height() < horizon && isCanonical.test(parent)) {
          roots.add(node.hash());
        }
      }
    }
    List<Hash> removed = new ArrayList<>();
    for (Hash root : roots) {
      removed.addAll(removeWithDescendants(root));
    }
    return removed;
  }

  /** All nodes (unmodifiable view; do not keep across mutations). */
  public Collection<Node> nodes() {
    return Collections.unmodifiableCollection(nodes.values());
  }

  public int size() {
    return nodes.size();
  }
}
