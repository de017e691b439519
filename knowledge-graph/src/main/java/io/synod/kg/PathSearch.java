// Bounded breadth-first search for paths between two entities, over edges in both directions.
package io.synod.kg;

import io.synod.kg.KnowledgeGraph.Direction;
import io.synod.kg.KnowledgeGraph.GraphPath;
import io.synod.kg.KnowledgeGraph.PathStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.util.iterator.ExtendedIterator;

/**
 * Breadth-first search from the start entity, layer by layer, following edges both ways and skipping
 * literals and label attributes. The target's own edges are read once, in full, so an entity next to the
 * target is always recognised, however many edges the target has. Bounds, so that a hub (a country with
 * ten thousand cities) cannot blow the search up:
 * <ul>
 *   <li>each expanded entity contributes at most its first {@value #MAX_NEIGHBOURS_PER_NODE} edges, in
 *       store order;</li>
 *   <li>at most {@value #MAX_VISITED} entities are visited in all;</li>
 *   <li>each entity remembers at most {@value #MAX_PARENTS} shortest ways in.</li>
 * </ul>
 * Paths come out shortest first (a path of length k+1 is a shortest path to an entity at depth k plus its
 * edge to the target), and among equally short paths, those with fewer {@code rdf:type} steps first: two
 * countries are always two hops apart through their class, which says little. Paths never pass through
 * the target. One instance per search; not thread-safe.
 */
final class PathSearch {

    static final int MAX_NEIGHBOURS_PER_NODE = 1000;
    static final int MAX_VISITED = 100_000;
    static final int MAX_PARENTS = 8;
    /** Paths collected beyond the limit, so that ordering among equally short ones has some choice. */
    static final int EXTRA_CANDIDATES = 32;

    /** One traversed edge: from --predicate--> to (OUT) or to --predicate--> from (IN). */
    private record Hop(Node from, Node predicate, Direction direction, Node to) {
    }

    private final Graph graph;
    private final GraphReader reader;
    private final Map<Node, List<Hop>> parents = new HashMap<>();
    private final Map<Node, Integer> depths = new HashMap<>();

    PathSearch(Graph graph, GraphReader reader) {
        this.graph = graph;
        this.reader = reader;
    }

    List<GraphPath> search(Node from, Node to, int maxHops, int limit) {
        Map<Node, List<Hop>> intoTarget = hopsIntoTarget(to);
        List<List<Hop>> found = new ArrayList<>();
        int wanted = limit + EXTRA_CANDIDATES;
        depths.put(from, 0);
        List<Node> frontier = List.of(from);
        for (int depth = 0; depth < maxHops && !frontier.isEmpty() && found.size() < limit; depth++) {
            List<Node> next = new ArrayList<>();
            for (Node node : frontier) {
                List<Hop> last = intoTarget.get(node);
                if (last != null && found.size() < wanted) {
                    for (List<Hop> prefix : pathsTo(node, from, wanted - found.size())) {
                        for (Hop hop : last) {
                            List<Hop> hops = new ArrayList<>(prefix);
                            hops.add(hop);
                            found.add(hops);
                        }
                    }
                }
                if (depth + 1 < maxHops && found.size() < limit) {
                    expand(node, to, depth + 1, next);
                }
            }
            frontier = next;
        }
        // Shortest first; among equally short paths, those through class membership (rdf:type) last.
        found.sort(Comparator.comparingInt((List<Hop> hops) -> hops.size()).thenComparingLong(PathSearch::typeSteps));
        return found.stream().limit(limit).map(this::toPath).toList();
    }

    private static long typeSteps(List<Hop> hops) {
        return hops.stream().filter(hop -> hop.predicate().equals(Terms.TYPE)).count();
    }

    /** For each neighbour of the target, the hops from it to the target. */
    private Map<Node, List<Hop>> hopsIntoTarget(Node target) {
        Map<Node, List<Hop>> into = new HashMap<>();
        ExtendedIterator<Triple> out = graph.find(target, Node.ANY, Node.ANY);
        try {
            while (out.hasNext()) {
                Triple triple = out.next();
                Node neighbour = triple.getObject();
                if (isEdge(triple) && !neighbour.equals(target)) {
                    into.computeIfAbsent(neighbour, key -> new ArrayList<>())
                            .add(new Hop(neighbour, triple.getPredicate(), Direction.IN, target));
                }
            }
        } finally {
            out.close();
        }
        ExtendedIterator<Triple> in = graph.find(Node.ANY, Node.ANY, target);
        try {
            while (in.hasNext()) {
                Triple triple = in.next();
                Node neighbour = triple.getSubject();
                if (isEdge(triple) && !neighbour.equals(target)) {
                    into.computeIfAbsent(neighbour, key -> new ArrayList<>())
                            .add(new Hop(neighbour, triple.getPredicate(), Direction.OUT, target));
                }
            }
        } finally {
            in.close();
        }
        return into;
    }

    private static boolean isEdge(Triple triple) {
        return !triple.getObject().isLiteral() && !Terms.isAttribute(triple.getPredicate());
    }

    private void expand(Node node, Node target, int depth, List<Node> next) {
        int examined = 0;
        ExtendedIterator<Triple> out = graph.find(node, Node.ANY, Node.ANY);
        try {
            while (out.hasNext() && examined < MAX_NEIGHBOURS_PER_NODE) {
                Triple triple = out.next();
                if (isEdge(triple)) {
                    examined++;
                    visit(new Hop(node, triple.getPredicate(), Direction.OUT, triple.getObject()), target, depth, next);
                }
            }
        } finally {
            out.close();
        }
        ExtendedIterator<Triple> in = graph.find(Node.ANY, Node.ANY, node);
        try {
            while (in.hasNext() && examined < MAX_NEIGHBOURS_PER_NODE) {
                Triple triple = in.next();
                if (isEdge(triple)) {
                    examined++;
                    visit(new Hop(node, triple.getPredicate(), Direction.IN, triple.getSubject()), target, depth, next);
                }
            }
        } finally {
            in.close();
        }
    }

    private void visit(Hop hop, Node target, int depth, List<Node> next) {
        Node neighbour = hop.to();
        if (neighbour.equals(target)) {
            return; // reached through hopsIntoTarget, so that every way in is listed once
        }
        Integer known = depths.get(neighbour);
        if (known == null) {
            if (depths.size() >= MAX_VISITED) {
                return;
            }
            depths.put(neighbour, depth);
            List<Hop> ways = new ArrayList<>(2);
            ways.add(hop);
            parents.put(neighbour, ways);
            next.add(neighbour);
        } else if (known == depth) {
            List<Hop> ways = parents.get(neighbour);
            if (ways.size() < MAX_PARENTS) {
                ways.add(hop);
            }
        }
    }

    /** Up to {@code limit} shortest hop sequences from the start to {@code node}. */
    private List<List<Hop>> pathsTo(Node node, Node start, int limit) {
        List<List<Hop>> paths = new ArrayList<>();
        if (node.equals(start)) {
            paths.add(List.of());
            return paths;
        }
        for (Hop hop : parents.getOrDefault(node, List.of())) {
            for (List<Hop> prefix : pathsTo(hop.from(), start, limit - paths.size())) {
                List<Hop> path = new ArrayList<>(prefix);
                path.add(hop);
                paths.add(path);
                if (paths.size() >= limit) {
                    return paths;
                }
            }
        }
        return paths;
    }

    private GraphPath toPath(List<Hop> hops) {
        List<PathStep> steps = new ArrayList<>(hops.size());
        for (Hop hop : hops) {
            steps.add(new PathStep(reader.toNode(hop.from()), reader.relation(hop.predicate()), hop.direction(),
                    reader.toNode(hop.to())));
        }
        return new GraphPath(steps);
    }
}
