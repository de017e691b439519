// `synod kg`: look-ups on the knowledge graph (statistics, entity linking, neighbourhoods, paths, SPARQL).
package io.synod.app.kg;

import io.synod.kg.KnowledgeGraph;
import io.synod.kg.KnowledgeGraph.Candidate;
import io.synod.kg.KnowledgeGraph.Direction;
import io.synod.kg.KnowledgeGraph.Edge;
import io.synod.kg.KnowledgeGraph.Entity;
import io.synod.kg.KnowledgeGraph.GraphPath;
import io.synod.kg.KnowledgeGraph.Mention;
import io.synod.kg.KnowledgeGraph.Node;
import io.synod.kg.KnowledgeGraph.PathStep;
import io.synod.kg.KnowledgeGraph.Relation;
import io.synod.kg.KnowledgeGraph.RelationSummary;
import io.synod.kg.KnowledgeGraph.SparqlResult;
import io.synod.kg.KnowledgeGraph.Stats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "kg",
        mixinStandardHelpOptions = true,
        description = {
            "Look up the knowledge graph: the bundled world graph (countries, cities, WordNet nouns) by default.",
            "Relations are followed forward by name (currency) and backwards with -of or ^ (capital-of, ^capital)."
        },
        subcommands = {
            KgCommand.StatsCommand.class,
            KgCommand.RelationsCommand.class,
            KgCommand.FindCommand.class,
            KgCommand.MentionsCommand.class,
            KgCommand.NeighboursCommand.class,
            KgCommand.PathCommand.class,
            KgCommand.ConnectCommand.class,
            KgCommand.SparqlCommand.class,
            KgCommand.LoadCommand.class
        })
public final class KgCommand {

    /** Resolves a command-line entity (an IRI or text) or fails with a message that names it. */
    static Entity resolve(KnowledgeGraph graph, String text) {
        return graph.resolve(text).orElseThrow(() -> new IllegalArgumentException(
                "no entity matches '" + text + "'; try `synod kg find " + text + "`"));
    }

    static String describe(Entity entity) {
        return entity.label() + "  <" + entity.id() + ">";
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Print the size of the graph and how long it took to load.")
    static final class StatsCommand extends GraphCommand {
        @Override
        int run(KnowledgeGraph graph, PrintWriter out) {
            Stats stats = graph.stats();
            out.printf("storage:   %s%n", stats.storage());
            out.printf("triples:   %,d%n", stats.triples());
            out.printf("entities:  %,d%n", stats.entities());
            out.printf("relations: %,d%n", stats.relations());
            out.printf("labels:    %,d%n", stats.labels());
            out.printf("load time: %.2f s%n", stats.loadTime().toMillis() / 1000.0);
            return 0;
        }
    }

    @Command(name = "relations", mixinStandardHelpOptions = true,
            description = "List the relation inventory: name, label, number of triples and description.")
    static final class RelationsCommand extends GraphCommand {
        @Override
        int run(KnowledgeGraph graph, PrintWriter out) {
            for (Relation relation : graph.relations()) {
                out.printf("%-16s %10d  %s%n", relation.name(), relation.triples(), relation.description());
            }
            return 0;
        }
    }

    @Command(name = "find", mixinStandardHelpOptions = true,
            description = "Link text to entities: exact matches (case- and accent-insensitive) first, then fuzzy ones.")
    static final class FindCommand extends GraphCommand {
        @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The name to look up (several words are joined).")
        List<String> words;

        @Option(names = {"-n", "--limit"}, defaultValue = "10", description = "Most candidates to print (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(KnowledgeGraph graph, PrintWriter out) {
            String text = String.join(" ", words);
            List<Candidate> candidates = graph.find(text, limit);
            if (candidates.isEmpty()) {
                return fail("no entity matches '%s'", text);
            }
            for (Candidate candidate : candidates) {
                Entity entity = candidate.entity();
                out.printf(Locale.ROOT, "%.3f %s %-28s %-14s <%s>%s%n",
                        candidate.score(),
                        candidate.exact() ? "exact" : "fuzzy",
                        entity.label(),
                        String.join(",", entity.types()),
                        entity.id(),
                        candidate.matchedLabel().equals(entity.label()) ? "" : "  (as \"" + candidate.matchedLabel() + "\")");
            }
            return 0;
        }
    }

    @Command(name = "mentions", mixinStandardHelpOptions = true,
            description = "Find every entity mention in a sentence, longest match first, with its best candidate.")
    static final class MentionsCommand extends GraphCommand {
        @Parameters(arity = "1..*", paramLabel = "WORD", description = "The sentence.")
        List<String> words;

        @Override
        int run(KnowledgeGraph graph, PrintWriter out) {
            for (Mention mention : graph.mentions(String.join(" ", words))) {
                Candidate best = mention.candidates().get(0);
                out.printf("[%d,%d) %-24s -> %s (%d candidates)%n", mention.start(), mention.end(),
                        mention.text(), describe(best.entity()), mention.candidates().size());
            }
            return 0;
        }
    }

    @Command(name = "neighbours", aliases = "neighbors", mixinStandardHelpOptions = true,
            description = "Print an entity's out- and in-edges with relation and entity labels.")
    static final class NeighboursCommand extends GraphCommand {
        @Parameters(arity = "1..*", paramLabel = "ENTITY", description = "An entity IRI or name (several words are joined).")
        List<String> words;

        @Option(names = {"-n", "--limit"}, defaultValue = "10",
                description = "Most edges to print per relation and direction (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(KnowledgeGraph graph, PrintWriter out) {
            Entity entity = resolve(graph, String.join(" ", words));
            out.println(describe(entity));
            if (!entity.aliases().isEmpty()) {
                out.println("  also: " + String.join("; ", entity.aliases()));
            }
            List<Edge> edges = new ArrayList<>(graph.outEdges(entity.id()));
            edges.addAll(graph.inEdges(entity.id()));
            Map<String, List<Edge>> byRelation = new TreeMap<>();
            for (Edge edge : edges) {
                byRelation.computeIfAbsent(arrowName(edge.relation().name(), edge.direction()), key -> new ArrayList<>()).add(edge);
            }
            for (RelationSummary summary : graph.relationsOf(entity.id())) {
                String name = arrowName(summary.relation().name(), summary.direction());
                List<Edge> group = byRelation.getOrDefault(name, List.of());
                out.printf("  %s (%d)%n", name, summary.count());
                group.stream().limit(limit).forEach(edge -> out.println("    " + render(edge.other())));
                if (summary.count() > limit) {
                    out.printf("    ... %d more%n", summary.count() - limit);
                }
            }
            return 0;
        }

        private static String arrowName(String relation, Direction direction) {
            return direction == Direction.OUT ? relation : relation + "-of";
        }
    }

    @Command(name = "path", mixinStandardHelpOptions = true,
            description = {
                "Follow a sequence of relations from an entity and print the nodes it ends at.",
                "Example: synod kg path Lomé capital-of currency"
            })
    static final class PathCommand extends GraphCommand {
        @Parameters(index = "0", paramLabel = "ENTITY", description = "The start: an entity IRI or name (quote names with spaces).")
        String start;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "RELATION",
                description = "Relation names; name-of or ^name follows a relation backwards.")
        List<String> relations;

        @Override
        int run(KnowledgeGraph graph, PrintWriter out) {
            Entity entity = resolve(graph, start);
            Set<Node> ends = graph.follow(entity.id(), relations);
            if (ends.isEmpty()) {
                return fail("no node is reached from %s by %s", describe(entity), String.join(" ", relations));
            }
            for (Node node : ends) {
                out.println(render(node));
            }
            return 0;
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true,
            description = "Search for the shortest paths between two entities (breadth-first, both directions).")
    static final class ConnectCommand extends GraphCommand {
        @Parameters(index = "0", paramLabel = "FROM", description = "Start entity (IRI or name).")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "Target entity (IRI or name).")
        String to;

        @Option(names = "--max-hops", defaultValue = "3", description = "Longest path to search (default: ${DEFAULT-VALUE}).")
        int maxHops;

        @Option(names = {"-n", "--limit"}, defaultValue = "5", description = "Most paths to print (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(KnowledgeGraph graph, PrintWriter out) {
            Entity source = resolve(graph, from);
            Entity target = resolve(graph, to);
            List<GraphPath> paths = graph.paths(source.id(), target.id(), maxHops, limit);
            if (paths.isEmpty()) {
                return fail("no path of at most %d hops from %s to %s", maxHops, source.label(), target.label());
            }
            for (GraphPath path : paths) {
                StringBuilder line = new StringBuilder(path.steps().get(0).from().label());
                for (PathStep step : path.steps()) {
                    String name = step.relation().name();
                    line.append(step.direction() == Direction.OUT ? " --" + name + "--> " : " <--" + name + "-- ")
                            .append(step.to().label());
                }
                out.println(line);
            }
            return 0;
        }
    }

    @Command(name = "sparql", mixinStandardHelpOptions = true,
            description = "Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) and print the result as a table.")
    static final class SparqlCommand extends GraphCommand {
        @ArgGroup(exclusive = true, multiplicity = "1")
        QueryText queryText;

        static final class QueryText {
            @Parameters(paramLabel = "QUERY", description = "The query text (or use --file).")
            String query;

            @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the query from a file.")
            Path file;
        }

        @Override
        int run(KnowledgeGraph graph, PrintWriter out) throws Exception {
            String text = queryText.query != null ? queryText.query : Files.readString(queryText.file);
            SparqlResult result = graph.sparql(text);
            if (result.askAnswer() != null) {
                out.println(result.askAnswer() ? "yes" : "no");
                return 0;
            }
            out.println(String.join("\t", result.columns()));
            for (List<String> row : result.rows()) {
                out.println(String.join("\t", row));
            }
            spec.commandLine().getErr().printf("(%d rows)%n", result.rows().size());
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {
                "Load graph files (or the bundled world graph) into a TDB2 directory on disk,",
                "so that later commands open it with --graph DIR without parsing the sources again."
            })
    static final class LoadCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--into", required = true, paramLabel = "DIR", description = "The TDB2 directory to create.")
        Path directory;

        @Parameters(arity = "0..*", paramLabel = "FILE",
                description = "Turtle, N-Triples or TSV files (optionally .gz). None: the bundled world graph.")
        List<Path> sources = List.of();

        @Override
        public Integer call() {
            KnowledgeGraph.Builder builder = KnowledgeGraph.builder().optTdb2Directory(directory);
            if (sources.isEmpty()) {
                builder.addBundledWorld();
            } else {
                sources.forEach(builder::addSource);
            }
            try (KnowledgeGraph graph = builder.build()) {
                Stats stats = graph.stats();
                spec.commandLine().getOut().printf("%s: %,d triples in %.2f s%n",
                        directory, stats.triples(), stats.loadTime().toMillis() / 1000.0);
            }
            return 0;
        }
    }

    static String render(Node node) {
        return node.literal() ? "\"" + node.label() + "\"" : node.label() + "  <" + node.id() + ">";
    }
}
